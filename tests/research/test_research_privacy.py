"""Nothing in a research export names a child: no record id, name, birth date, account, school
or free text; and a teen's diary answers kept from their guardians are never in it."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest

from backto.access.accounts.models import Clinic, User, UserKind
from backto.access.patients.models import Patient
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.exam.models import FunctionalTest, SensoryExam
from backto.capabilities.measures.models import Administration
from backto.readers.research.actions import research_study_create
from backto.readers.research.export import research_export
from backto.readers.research.pseudonyms import date_offset, study_id
from backto.readers.research.queries import CohortFilter
from tests.conftest import TODAY
from tests.core.test_demo import run_demo

YEARS = CohortFilter(TODAY - timedelta(days=800), TODAY)


@pytest.fixture
def coordinator(db):
    run_demo("--patients", "40", "--seed", "2")
    Clinic.objects.get()
    return User.objects.get(username="demo-coordinator")


def _rows(archive: bytes, table: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return list(csv.DictReader(io.StringIO(zipped.read(f"{table}.csv").decode())))


def _unzipped(archive: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return b"\n".join(zipped.read(name) for name in zipped.namelist())


def _free_text() -> set[str]:
    """Every word a person typed in the demo's records that the export reads from."""
    texts = set()
    for answers in DiaryEntry.objects.values_list("answers", flat=True):
        texts |= {v for k, v in answers.items() if k in ("activity_note", "win") and v}
    for answers in Administration.objects.values_list("answers", flat=True):
        texts |= {v for v in answers.values() if isinstance(v, str) and v}
    texts |= set(FunctionalTest.objects.exclude(note="").values_list("note", flat=True))
    texts |= set(SensoryExam.objects.exclude(note="").values_list("note", flat=True))
    return {t for t in texts if len(t) >= 4}


def test_no_record_id_name_birth_date_account_or_free_text_is_anywhere_in_the_zip(coordinator):
    # Words of the family's own in the records, besides what the demo wrote.
    entry = DiaryEntry.objects.filter(respondent="child").order_by("-day").first()
    entry.answers = {**entry.answers, "activity_note": "Walked Biscuit to Aunt Ingrid's farm"}
    entry.save()
    study = research_study_create(by=coordinator, code="FIT-2027")
    archive = research_export(by=coordinator, study=study, cohort_filter=YEARS).archive
    data = _unzipped(archive).decode()
    assert "Walked Biscuit" not in data
    free_text = _free_text()
    assert free_text  # the demo writes some
    for text in free_text:
        assert text not in data, text
    for patient in Patient.objects.all():
        for value in (patient.legal_name, patient.preferred_name, patient.school):
            if value:
                assert value not in data, value
        born = patient.date_of_birth
        for shown in (born.isoformat(), f"{born:%m/%d/%Y}", f"{born:%d/%m/%Y}"):
            assert shown not in data
    for user in User.objects.exclude(kind=UserKind.STAFF):
        assert user.username not in data and (
            not user.display_name or user.display_name not in data
        )
    # No record id: every table keys a child by study id alone, and no column holds a record id.
    record_ids = {str(pk) for pk in Patient.objects.values_list("pk", flat=True)}
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        for name in zipped.namelist():
            if name.endswith(".csv") and "dictionary" not in name and "rules" not in name:
                rows = list(csv.DictReader(io.StringIO(zipped.read(name).decode())))
                header = rows[0].keys() if rows else []
                assert not {"id", "patient_id", "episode_id", "record_id"} & set(header)
                for row in rows:
                    if "study_id" in row:
                        assert row["study_id"].startswith("S-")
                        assert row["study_id"] not in record_ids


def test_a_teens_private_diary_answers_are_never_exported(coordinator):
    study = research_study_create(by=coordinator, code="FIT-2027")
    first = _rows(
        research_export(by=coordinator, study=study, cohort_filter=YEARS).archive, "diary_answers"
    )
    exported = {row["study_id"] for row in first if row["respondent"] == "child"}
    teens = [
        p
        for p in Patient.objects.filter(teen_account__isnull=False)
        if study_id(study.key, p.pk) in exported
    ]
    assert teens, "the demo has a teen in the cohort"
    teen = teens[0]
    sid = study_id(study.key, teen.pk)
    shifted = {
        row["day"] for row in first if row["study_id"] == sid and row["respondent"] == "child"
    }
    offset = timedelta(days=date_offset(study.key, teen.pk))
    days = sorted(
        d
        for d in DiaryEntry.objects.filter(patient=teen, respondent="child").values_list(
            "day", flat=True
        )
        if (d + offset).isoformat() in shifted
    )
    private_day, open_day = days[-1], days[-2]
    private = DiaryEntry.objects.get(patient=teen, respondent="child", day=private_day)
    private.answers = {
        **private.answers,
        "mood": 1,
        "activity_note": "Sat with Jonah behind the gym",
        "win": "Told Dr Reyes about the bad night",
    }
    private.private_fields = ["mood", "activity_note", "win"]
    private.save()
    shared = DiaryEntry.objects.get(patient=teen, respondent="child", day=open_day)
    shared.answers = {**shared.answers, "mood": 3, "win": "Finished the long walk"}
    shared.private_fields = []
    shared.save()
    archive = research_export(by=coordinator, study=study, cohort_filter=YEARS).archive
    data = _unzipped(archive).decode()
    for words in ("Sat with Jonah", "Dr Reyes", "Finished the long walk"):
        assert words not in data
    rows = [
        r
        for r in _rows(archive, "diary_answers")
        if r["study_id"] == sid and r["respondent"] == "child"
    ]
    on_private = {r["link_id"] for r in rows if r["day"] == (private_day + offset).isoformat()}
    on_shared = {
        r["link_id"]: r["value"] for r in rows if r["day"] == (open_day + offset).isoformat()
    }
    assert on_private and not on_private & {"mood", "activity_note", "win"}
    assert on_shared["mood"] == "3" and "win" not in on_shared  # free text never, private or not
