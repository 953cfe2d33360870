"""The research export of a clinic built through the actions, not the demo: five children whose
programs started today, Maya among them with her teen account. Her diary's private answers (her
mood, what she did and her win, a safety answer) are not in the zip, nor the study's key; her
shared answers are, on the day shifted by her offset."""

import io
import uuid
import zipfile
from datetime import timedelta

import pytest

from backto.access.patients import actions as patients
from backto.access.patients.models import Discipline
from backto.capabilities.diary import actions as diary
from backto.capabilities.diary.models import PRIVATE_ABLE
from backto.readers.research.actions import research_study_create
from backto.readers.research.export import research_export
from backto.readers.research.pseudonyms import date_offset, study_id
from backto.readers.research.queries import CohortFilter
from tests.conftest import TODAY, start_program, years_ago

NOTE = "Hid in the library again 4q9"
WIN = "Kept going at the pool 4q9"
ANSWERS = {
    "activity": 2,
    "activity_note": NOTE,
    "school": 9,
    "sleep_hours": 8,
    "sleep_quality": 2,
    "mood": 0,
    "home_program": 1,
    "win": WIN,
}


@pytest.fixture
def cohort(clinic, cora, pat, maya, episode, maya_teen):
    """Maya and four other 13-year-old girls in an outpatient program with a PT, started today."""
    start_program(episode, pat)
    for n in range(4):
        child = patients.patient_register(
            by=cora,
            clinic=clinic,
            legal_name=f"Girl Number{n} Testperson",
            date_of_birth=years_ago(13),
            sex="female",
        )
        other = patients.episode_open(
            by=cora, patient=child, referral_date=TODAY, referral_reason="Knee pain"
        )
        patients.care_team_add(by=cora, episode=other, clinician=pat, discipline=Discipline.PT)
        start_program(other, pat)
    diary.diary_entry_submit(
        by=maya_teen,
        patient=maya,
        day=TODAY,
        respondent="child",
        answers=ANSWERS,
        private_fields=list(PRIVATE_ABLE),
        idempotency_key=uuid.uuid4(),
    )


def test_a_clinic_of_five_exports_without_the_teens_private_answers(cohort, cora, maya):
    study = research_study_create(by=cora, code="POOL-1")
    export = research_export(by=cora, study=study, cohort_filter=CohortFilter(TODAY, TODAY))
    assert export.participants == 5 and export.withheld == 0
    with zipfile.ZipFile(io.BytesIO(export.archive)) as archive:
        data = b"".join(archive.read(n) for n in archive.namelist()).decode()
        diary_rows = archive.read("diary_answers.csv").decode().splitlines()
        participants = archive.read("participants.csv").decode()
    for secret in (NOTE, WIN, study.key, maya.legal_name):
        assert secret not in data
    assert "12-14,female" in participants  # nothing rare: nothing generalized
    day = (TODAY + timedelta(days=date_offset(study.key, maya.pk))).isoformat()
    mine = [r for r in diary_rows if r.startswith(study_id(study.key, maya.pk))]
    answered = {r.split(",")[6] for r in mine if f",{day}," in r}
    # Her mood (the lowest, a safety answer) was kept private: no mood for that day at all.
    assert answered == {"activity", "school", "sleep_hours", "sleep_quality", "home_program"}
