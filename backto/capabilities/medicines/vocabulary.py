"""The names a clinic's list of medicines starts with, before the clinic keeps its own.

Names only: BackTo records what a child takes so that the care team knows, never a dose, and it
never advises on a medicine ("talk with your doctor" is the only advice). The clinic admin
changes the list on the medicine names page; the first change copies these names into the
clinic's own list, so nothing is written for a clinic that never changes it.
"""

STARTER_NAMES: tuple[str, ...] = (
    "Acetaminophen (paracetamol)",
    "Amitriptyline",
    "Gabapentin",
    "Ibuprofen",
    "Melatonin",
    "Naproxen",
)
