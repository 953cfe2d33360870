"""The words of the intake questions. Clinicians see the clinical core's item labels; families
see plain questions written by this project."""

from backto.clinical.screening import DEFAULT_RED_FLAGS, SCREENING_ITEMS

TRI_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not sure")]
CLINICIAN_TRI_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")]

FAMILY_QUESTIONS = {
    "duration": "Has the pain lasted {months} months or more?",
    "not_relieved_by_medicines": "Do usual pain medicines (like ibuprofen) leave the pain about "
    "the same?",
    "no_medical_cause": "Have doctors looked for a cause without finding one (or are tests still "
    "going on)?",
    "out_of_proportion": "Does the pain seem much bigger than any injury, or anything doctors "
    "found?",
    "allodynia": "Does light touch hurt, like clothes, bedsheets or a gentle hand?",
    "hyperalgesia": "Does something that should hurt a little, like a small bump, hurt a lot?",
    "vasomotor": "Does the skin where it hurts change colour, or feel warmer or colder than the "
    "other side?",
    "sudomotor_swelling": "Is there swelling, or more or less sweating, where it hurts?",
    "motor_trophic": "Is that part harder to move, shaky or stiff, or have hair, nails or skin "
    "there changed?",
    "associated_symptoms": "Are there other troubles, like tiredness, poor sleep, headaches, "
    "tummy aches or dizziness?",
    "functional_impact": "Has the pain made your child miss school or stop activities?",
}
FEATURE_ITEMS = [item for item in SCREENING_ITEMS if item.kind == "feature"]
RED_FLAGS = DEFAULT_RED_FLAGS

assert set(FAMILY_QUESTIONS) == {item.key for item in FEATURE_ITEMS}
