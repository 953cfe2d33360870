"""The reads the letters and the outcomes use: what was taken on a day, what stopped in a
period."""

from datetime import date

from backto.capabilities.medicines.actions import medicine_add
from backto.capabilities.medicines.queries import medicines_of, stopped_between, taken_on


def test_taken_on_a_day_and_stopped_in_a_period(gina, maya):
    def add(name, started=None, stopped=None, precision="day"):
        return medicine_add(
            by=gina,
            patient=maya,
            name=name,
            started_on=started,
            stopped_on=stopped,
            stopped_precision=precision,
        )

    add("Ibuprofen", date(2025, 1, 5), date(2026, 4, 20))
    add("Gabapentin", date(2025, 6, 1), date(2026, 5, 10), precision="month")  # May 2026
    add("Melatonin")  # when it started is not known: taken
    add("Amitriptyline", date(2024, 1, 1), date(2024, 3, 1))
    entries = medicines_of(maya)
    on = {m.name for m in taken_on(entries, date(2026, 3, 1))}
    assert on == {"Ibuprofen", "Gabapentin", "Melatonin"}
    assert {m.name for m in taken_on(entries, date(2026, 6, 1))} == {"Melatonin"}
    stopped = stopped_between(entries, date(2026, 3, 1), date(2026, 6, 16))
    assert sorted(m.name for m in stopped) == ["Gabapentin", "Ibuprofen"]
