"""Program outcomes survive the reporting replica being down (issue #24): the page reads the main
database, says so, and shows the same figures; the export still downloads; without a replica
nothing is checked and nothing is said; `/healthz` never asks the replica."""

import io
import logging
import socket
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.connection import ConnectionDoesNotExist

from backto.access.accounts.models import Clinic, User
from backto.core.reporting import ReportingSource, reporting_source
from tests.conftest import TODAY, spanish
from tests.core.test_demo import run_demo

REPORTING = "reporting"
NOTE = "The reporting copy of the database is not answering"


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (the one the system just lent us)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _reporting_connection_made() -> bool:
    try:
        connections[REPORTING]
    except ConnectionDoesNotExist:
        return False
    return True


@contextmanager
def reporting_database(settings_dict: dict[str, Any]) -> Iterator[None]:
    """A reporting alias with these settings for the block, as BACKTO_REPORTING_DATABASE_URL
    gives (settings.REPORTING_DB names it); its connection closed and gone afterwards. The
    connection is made here rather than listed in settings.DATABASES, which the test database
    set-up has read already: Django's test case allows a connection made on the fly."""
    assert not _reporting_connection_made()
    configured = connections.configure_settings(
        {"default": connections.settings["default"], REPORTING: dict(settings_dict)}
    )[REPORTING]
    backend = load_backend(configured["ENGINE"])
    connections[REPORTING] = backend.DatabaseWrapper(configured, REPORTING)
    try:
        with override_settings(REPORTING_DB=REPORTING):
            yield
    finally:
        try:
            connections[REPORTING].close()
        finally:
            del connections[REPORTING]


@contextmanager
def replica_not_answering() -> Iterator[None]:
    """A PostgreSQL replica on a port of 127.0.0.1 that nothing listens on (whatever database
    the suite runs on): connecting to it is refused at once."""
    with reporting_database(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "backto_reporting",
            "USER": "backto",
            "PASSWORD": "not-a-secret",
            "HOST": "127.0.0.1",
            "PORT": str(_closed_port()),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"connect_timeout": 2},
        }
    ):
        yield


def _year() -> tuple[date, date]:
    return TODAY - timedelta(days=800), TODAY


@pytest.fixture
def demo(db):
    run_demo("--patients", "40", "--seed", "2")
    return Clinic.objects.get()


@pytest.fixture
def coordinator(client, demo):
    client.force_login(
        User.objects.get(username="demo-coordinator"),
        backend="backto.access.accounts.backends.UsernameOrEmailBackend",
    )
    return client


def _query() -> dict[str, str]:
    start, end = _year()
    return {"start": start.isoformat(), "end": end.isoformat()}


def test_with_the_replica_down_the_page_says_so_and_shows_the_same_figures(coordinator, caplog):
    usual = coordinator.get(reverse("outcomes"), _query())
    assert usual.status_code == 200 and NOTE not in usual.content.decode()
    with replica_not_answering(), caplog.at_level(logging.WARNING, "backto.core.reporting"):
        down = coordinator.get(reverse("outcomes"), _query())
        assert connections[REPORTING].connection is None  # closed: the next request tries again
    assert down.status_code == 200
    assert NOTE in down.content.decode()
    assert down.context["summary"] == usual.context["summary"]
    assert down.context["summary"].admitted.value > 0
    assert down.context["band_rows"] == usual.context["band_rows"]
    warned = [r for r in caplog.records if r.name == "backto.core.reporting"]
    assert [r.levelname for r in warned] == ["WARNING"]  # one check for the whole page
    assert "main database" in warned[0].getMessage()


def _members(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def test_with_the_replica_down_the_export_downloads_from_the_main_database(coordinator):
    usual = coordinator.get(reverse("outcomes_export"), _query())
    with replica_not_answering():
        down = coordinator.get(reverse("outcomes_export"), _query())
    assert down.status_code == 200 and down["Content-Type"] == "application/zip"
    assert _members(down.content) == _members(usual.content)
    assert b"fdi_admission" in _members(down.content)["outcomes.csv"]


def test_the_note_is_in_spanish_for_a_spanish_reader(coordinator):
    spanish(User.objects.get(username="demo-coordinator"))
    with replica_not_answering():
        page = coordinator.get(reverse("outcomes"), _query()).content.decode()
    assert "La copia de la base de datos para informes no responde" in page


def test_with_the_replica_down_nothing_else_notices(coordinator):
    with replica_not_answering():
        assert coordinator.get(reverse("healthz")).status_code == 200
        assert coordinator.get(reverse("clinician_home")).status_code == 200
        assert connections[REPORTING].connection is None  # never asked


def test_without_a_replica_nothing_is_checked_and_nothing_is_said(coordinator):
    assert not _reporting_connection_made()
    with CaptureQueriesContext(connection) as queries:
        assert reporting_source() == ReportingSource("default", fell_back=False)
    assert len(queries) == 0
    assert NOTE not in coordinator.get(reverse("outcomes"), _query()).content.decode()


def test_a_replica_that_answers_is_read(db):
    with reporting_database(connections["default"].settings_dict):
        with CaptureQueriesContext(connection) as queries:
            assert reporting_source() == ReportingSource(REPORTING, fell_back=False)
        assert len(queries) == 0  # nothing asked of the main database
        assert connections[REPORTING].connection is not None


def test_a_replica_that_does_not_answer_falls_back(db):
    with replica_not_answering():
        assert reporting_source() == ReportingSource("default", fell_back=True)
