"""What the questionnaire reminders' tests share: sweeping at a time of day of a given day in the
clinic's time zone, and a family with a running program.

At the clinic of the tests no licensed wording is installed, so of the default questionnaires
the family is sent the pain rating (the child's form), and school attendance and the health
care visits (the parent's); the others are gone through at the next visit and are never reminded."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from backto.access.accounts.models import Clinic, User, UserKind
from backto.access.patients import actions as patients
from backto.access.patients.models import Discipline, Episode, Guardianship, Patient
from backto.capabilities.questionnairereminders.reminders import send_questionnaire_reminders
from tests.conftest import TODAY, make_user, start_program, years_ago

SENT_TO_FAMILIES = {"nrs-pain", "school", "healthcare-use"}
PARENT_FORMS = {"school", "healthcare-use"}


def at(day: date, clinic: Clinic, hour: int = 10) -> datetime:
    """`hour` o'clock on `day` in the clinic's time zone."""
    return datetime.combine(day, time(hour), ZoneInfo(clinic.time_zone))


def sweep(clinic: Clinic, day: date = TODAY, hour: int = 10) -> int:
    return send_questionnaire_reminders(at(day, clinic, hour))


def family(clinic: Clinic, cora: User, pat: User, name: str) -> tuple[Patient, User, Episode]:
    """Another child of ten with a guardian, in the program since today."""
    child = patients.patient_register(
        by=cora, clinic=clinic, legal_name=f"{name} Child", date_of_birth=years_ago(10)
    )
    guardian = make_user(clinic, f"parent-{name.lower()}", kind=UserKind.GUARDIAN)
    Guardianship.objects.create(guardian=guardian, patient=child, relationship="mother")
    episode = patients.episode_open(
        by=cora, patient=child, referral_date=TODAY, referral_reason="Knee pain"
    )
    patients.care_team_add(by=cora, episode=episode, clinician=pat, discipline=Discipline.PT)
    return child, guardian, start_program(episode, pat)
