"""The research export reads the reporting replica, every table of it, and when the replica is
down it reads the main database and gives the same files (issue #24); its own writes (the audit
event) always go to the main database."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.db import connections

from backto.access.accounts.models import User
from backto.audit.models import AuditEvent
from backto.readers.research.actions import research_study_create
from backto.readers.research.export import research_export
from backto.readers.research.queries import CohortFilter, cohort_records
from tests.conftest import TODAY
from tests.core.test_demo import run_demo
from tests.outcomes.test_reporting_fallback import (
    REPORTING,
    replica_not_answering,
    reporting_database,
)

YEARS = CohortFilter(TODAY - timedelta(days=800), TODAY)
TABLES = ("administrations", "diary", "functional_tests", "pain_maps", "sensory_exams", "findings")


@pytest.fixture
def coordinator(db):
    run_demo("--patients", "40", "--seed", "2")
    return User.objects.get(username="demo-coordinator")


def _tables(archive: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return {
            name: list(csv.DictReader(io.StringIO(zipped.read(name).decode())))
            for name in zipped.namelist()
            if name.endswith(".csv")
        }


def test_with_the_replica_down_the_export_reads_the_main_database(coordinator):
    study = research_study_create(by=coordinator, code="fit-2027")
    usual = research_export(by=coordinator, study=study, cohort_filter=YEARS)
    exports = AuditEvent.objects.filter(action="export").count()
    with replica_not_answering():
        down = research_export(by=coordinator, study=study, cohort_filter=YEARS)
    assert down.participants == usual.participants > 0
    assert _tables(down.archive) == _tables(usual.archive)
    assert AuditEvent.objects.filter(action="export").count() == exports + 1


def test_every_table_is_read_from_the_replica_when_it_answers(clinic):
    with reporting_database(connections["default"].settings_dict):
        records = cohort_records(clinic, YEARS)
        assert {name: getattr(records, name).db for name in TABLES} == dict.fromkeys(
            TABLES, REPORTING
        )
