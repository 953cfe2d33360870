"""Every write to the exam: one transaction and one audit event per action. Events carry the
child's id and the test's id only, never a value or a name."""

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import Episode, Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.exam.models import FunctionalTest
from backto.clinical.functional_tests import TESTS, score_functional_test

# The ages the clinical core takes for the 6-minute walk (SixMinuteWalkInputs.age_years): for a
# child outside them the walk is recorded without an age rather than refused (a reference's own
# age range decides where it applies).
CORE_AGES = (Decimal(2), Decimal(25))
CORE_SEXES = ("female", "male")


def _birthday(born: date, year: int) -> date:
    try:
        return born.replace(year=year)
    except ValueError:  # born on 29 February: the birthday is 1 March in other years
        return date(year, 3, 1)


def age_in_years(patient: Patient, day: date) -> Decimal:
    """The child's age on `day` in years, to two decimals (cut, never rounded up): the
    completed years, and the part of the current year since the last birthday."""
    completed = patient.age_on(day)
    born = patient.date_of_birth
    last = _birthday(born, born.year + completed)
    following = _birthday(born, born.year + completed + 1)
    part = Decimal((day - last).days) / Decimal((following - last).days)
    return (completed + part).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def check_exam_day(episode: Episode, day: date, *, what: str = "tested") -> None:
    """Refuse (ValidationError on "day") a day after today or before the episode's referral: a
    result of the exam belongs to a day of its episode up to today ("The day tested is …",
    "The day examined is …")."""
    if day > timezone.localdate():
        raise ValidationError({"day": f"The day {what} is today or before."})
    if day < episode.referral_date:
        raise ValidationError(
            {
                "day": f"The day {what} is within this episode: on or after its referral, "
                f"{episode.referral_date:%Y-%m-%d}."
            }
        )


def from_the_record(patient: Patient, test_id: str, day: date) -> dict[str, object]:
    """What the record gives the core, not typed: for the 6-minute walk, the child's age on the
    day and their sex where the reference equations know it (female or male)."""
    if test_id != "6mwt":
        return {}
    given: dict[str, object] = {}
    age = age_in_years(patient, day)
    if CORE_AGES[0] <= age <= CORE_AGES[1]:
        given["age_years"] = age
    if patient.sex in CORE_SEXES:
        given["sex"] = patient.sex
    return given


def _json(value: object) -> object:
    """A typed number as JSON: whole numbers stay whole, decimals keep their digits."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


PROBLEM = re.compile(
    r"^(?P<field>[a-z_]+)(?: trial (?P<trial>[0-9]))?(?: or [a-z_]+)?: (?P<text>.*)$"
)


def core_errors(test_id: str, errors: tuple[str, ...]) -> ValidationError:
    """The core's errors ("grip: left_kg trial 2: …; allowed: …") as a ValidationError keyed
    by the input field each names ("left_kg", the message starting "trial 2: …"); one across
    fields ("left_s or right_s: …") goes to its first field; anything else to the whole form."""
    fields = TESTS[test_id].inputs.model_fields
    found: dict[str, list[str]] = {}
    for error in errors:
        text = error.removeprefix(f"{test_id}: ")
        match = PROBLEM.match(text)
        if match and match["field"] in fields:
            message = match["text"]
            if message.startswith("is required"):
                message = "required" + message.removeprefix("is required")
            if match["trial"]:
                message = f"trial {match['trial']}: {message}"
            found.setdefault(match["field"], []).append(message[0].upper() + message[1:])
        else:
            found.setdefault(NON_FIELD_ERRORS, []).append(text)
    return ValidationError(found)


@transaction.atomic
def functional_test_record(
    *,
    by: User,
    episode: Episode,
    test_id: str,
    day: date,
    inputs: Mapping[str, object],
    note: str = "",
) -> FunctionalTest:
    """Score one functional test with the clinical core and keep it with its inputs.

    `inputs` are the test's typed fields (None or absent when not given); for the 6-minute walk
    the child's age on `day` and their sex come from the record. A problem the core finds is a
    ValidationError keyed by the field it names, and nothing is saved."""
    if test_id not in TESTS:
        raise ValidationError({"test_id": f"Choose one of the tests: {', '.join(TESTS)}."})
    check_exam_day(episode, day)
    typed = {name: value for name, value in inputs.items() if value not in (None, "", [])}
    given = {**typed, **from_the_record(episode.patient, test_id, day)}
    result = score_functional_test(test_id, given)
    if not result.ok:
        raise core_errors(test_id, result.errors)
    test = FunctionalTest.objects.create(
        episode=episode,
        test_id=test_id,
        day=day,
        inputs={name: _json(value) for name, value in given.items()},
        result=result.as_dict(),
        note=note.strip()[:200],
        recorded_by=by,
    )
    audit(by=by, action=Action.CREATE, obj=test, patient_id=episode.patient_id, detail=test_id)
    return test
