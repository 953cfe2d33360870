"""The research export on the demo clinic: the zip's tables and dictionary, study ids and date
shifts per study and child, nothing that names a child, a teen's private answers, the page's
permissions, re-authentication and audit, the command, and a fixed number of queries."""

import csv
import io
import zipfile
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.utils import timezone

from backto.access.accounts.models import Clinic, User
from backto.access.patients.models import Episode, Patient
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.exam.models import FunctionalTest, SensoryExam
from backto.capabilities.measures.models import Administration
from backto.readers.research.actions import research_study_create
from backto.readers.research.dictionary import TABLES
from backto.readers.research.export import research_export
from backto.readers.research.pseudonyms import date_offset, study_id
from backto.readers.research.queries import CohortFilter
from tests.conftest import TODAY
from tests.core.test_demo import run_demo

YEARS = CohortFilter(TODAY - timedelta(days=800), TODAY)


@pytest.fixture
def demo(db):
    run_demo("--patients", "40", "--seed", "2")
    return Clinic.objects.get()


@pytest.fixture
def coordinator(demo):
    return User.objects.get(username="demo-coordinator")


def _tables(archive: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(zipped.read(name).decode())))
            for name in zipped.namelist()
            if name.endswith(".csv")
        }


def _readme(archive: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return zipped.read("README.txt").decode()


def _by_study_id(key: str) -> dict[str, int]:
    return {study_id(key, pk): pk for pk in Patient.objects.values_list("pk", flat=True)}


def test_the_zip_holds_every_table_its_dictionary_and_what_was_withheld(coordinator):
    study = research_study_create(by=coordinator, code="fit-2027")
    export = research_export(by=coordinator, study=study, cohort_filter=YEARS)
    with zipfile.ZipFile(io.BytesIO(export.archive)) as zipped:
        names = set(zipped.namelist())
        headers = {
            n: next(csv.reader(io.StringIO(zipped.read(n).decode()))) for n in names if ".csv" in n
        }
    assert names == {f"{t}.csv" for t in TABLES} | {
        "data_dictionary.csv",
        "item_dictionary.csv",
        "scoring_rules.csv",
        "README.txt",
    }
    tables = _tables(export.archive)
    described = defaultdict(set)
    for row in tables["data_dictionary"]:
        assert row["meaning"] and row["type"]
        described[row["table"]].add(row["column"])
    for table in TABLES:
        assert headers[f"{table}.csv"] == [c.name for c in TABLES[table]]
        assert set(headers[f"{table}.csv"]) == described[f"{table}.csv"]
        assert tables[table], f"{table} is empty on the demo"
    # Item-level answers name the instrument, version and linkId the dictionary describes.
    items = {
        (r["instrument_id"], r["instrument_version"], r["link_id"])
        for r in tables["item_dictionary"]
    }
    for row in tables["questionnaire_answers"] + tables["diary_answers"]:
        assert (row["instrument_id"], row["instrument_version"], row["link_id"]) in items
    rules = {
        (r["instrument_id"], r["instrument_version"]): r["rule"] for r in tables["scoring_rules"]
    }
    fdi = [r for r in tables["questionnaire_scores"] if r["instrument_id"] == "fdi-child"]
    assert fdi and all(r["rule"] == rules["fdi-child", r["instrument_version"]] for r in fdi)
    assert "up to 3 unanswered items" in fdi[0]["rule"]
    free_text = {r["link_id"] for r in tables["item_dictionary"] if r["type"] == "text"}
    assert {"activity_note", "win"} <= free_text
    assert not free_text & {r["link_id"] for r in tables["diary_answers"]}
    readme = _readme(export.archive)
    assert "Study: FIT-2027" in readme
    cohort = int(readme.split("Children in the cohort: ")[1].split()[0])
    withheld = int(readme.split("Children withheld: ")[1].split()[0])
    assert cohort == export.cohort_children and withheld == export.withheld
    assert len(tables["participants"]) + withheld == cohort
    assert "Free text" in readme and "kept from their guardians" in readme


def test_a_childs_study_id_is_the_same_within_a_study_and_differs_across_studies(coordinator):
    first = research_study_create(by=coordinator, code="FIT-2027")
    other = research_study_create(by=coordinator, code="SLEEP-1")
    assert first.key != other.key
    once = _tables(research_export(by=coordinator, study=first, cohort_filter=YEARS).archive)
    again = _tables(research_export(by=coordinator, study=first, cohort_filter=YEARS).archive)
    elsewhere = _tables(research_export(by=coordinator, study=other, cohort_filter=YEARS).archive)
    ids = {r["study_id"] for r in once["participants"]}
    assert ids == {r["study_id"] for r in again["participants"]}
    assert once == again  # the same study and cohort: the same files
    assert not ids & {r["study_id"] for r in elsewhere["participants"]}
    known = _by_study_id(first.key)
    assert ids <= set(known)  # each study id is the keyed hash of one child's record id
    assert all(
        r["study_id"].startswith("S-") and len(r["study_id"]) == 14 for r in once["participants"]
    )


def test_every_date_of_a_child_moves_by_the_same_offset_and_never_by_zero(coordinator):
    study = research_study_create(by=coordinator, code="FIT-2027")
    tables = _tables(research_export(by=coordinator, study=study, cohort_filter=YEARS).archive)
    known = _by_study_id(study.key)
    checked = 0
    for participant in tables["participants"]:
        pk = known[participant["study_id"]]
        offset = timedelta(days=date_offset(study.key, pk))
        assert offset.days != 0 and -180 <= offset.days <= 180

        def real(text: str, offset: timedelta = offset) -> date:
            return date.fromisoformat(text) - offset

        mine = [r for r in tables["episodes"] if r["study_id"] == participant["study_id"]]
        completed = {
            timezone.localdate(at)
            for at in Administration.objects.filter(
                episode__patient_id=pk, completed_at__isnull=False
            ).values_list("completed_at", flat=True)
        }
        for row in tables["questionnaire_answers"] + tables["questionnaire_scores"]:
            if row["study_id"] == participant["study_id"]:
                assert real(row["completed_on"]) in completed
        diary_days = set(DiaryEntry.objects.filter(patient_id=pk).values_list("day", flat=True))
        for row in tables["diary_answers"]:
            if row["study_id"] == participant["study_id"]:
                assert real(row["day"]) in diary_days
                checked += 1
        tests = set(
            FunctionalTest.objects.filter(episode__patient_id=pk).values_list("day", flat=True)
        )
        for row in tables["functional_tests"]:
            if row["study_id"] == participant["study_id"]:
                assert real(row["day"]) in tests
                checked += 1
        exams = set(
            SensoryExam.objects.filter(episode__patient_id=pk).values_list("day", flat=True)
        )
        for row in tables["sensory_exams"]:
            if row["study_id"] == participant["study_id"]:
                assert real(row["day"]) in exams
        discharges = set(
            Episode.objects.filter(patient_id=pk, discharge__isnull=False).values_list(
                "discharge__discharged_on", flat=True
            )
        )
        for row in mine:
            if row["discharged_on"]:
                assert real(row["discharged_on"]) in discharges
                # The program's length is kept: the same offset on both ends.
                assert (
                    date.fromisoformat(row["discharged_on"])
                    - date.fromisoformat(row["program_started_on"])
                ) == (real(row["discharged_on"]) - real(row["program_started_on"]))
    assert checked > 100
    offsets = {date_offset(study.key, known[p["study_id"]]) for p in tables["participants"]}
    assert len(offsets) > 1  # per child, not one shift for everyone
