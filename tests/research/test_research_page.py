"""The research export's page and command: the coordinator names a study and downloads a cohort;
other roles get a 403, an unconfirmed session is sent to confirm its password, each export is
one audit event without names, a small cohort is refused with a clear message, and the queries do
not grow with the cohort."""

import io
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.accounts.models import Clinic, User
from backto.access.accounts.sudo import SESSION_KEY
from backto.access.patients.models import Patient
from backto.audit.models import AuditEvent
from backto.readers.research.actions import research_study_create
from backto.readers.research.export import research_export
from backto.readers.research.models import ResearchStudy
from backto.readers.research.queries import CohortFilter
from tests.conftest import TODAY, audited
from tests.core.test_demo import run_demo

BACKEND = "backto.access.accounts.backends.UsernameOrEmailBackend"
QUERY = {
    "study": "FIT-2027",
    "start": (TODAY - timedelta(days=800)).isoformat(),
    "end": TODAY.isoformat(),
}


@pytest.fixture
def demo(db):
    run_demo("--patients", "40", "--seed", "2")
    return Clinic.objects.get()


def _signed_in(client, username):
    client.force_login(User.objects.get(username=username), backend=BACKEND)
    return client


def test_the_coordinator_names_a_study_and_downloads_the_cohort(client, demo):
    _signed_in(client, "demo-coordinator")
    page = client.get(reverse("research"))
    assert page.status_code == 200 and "Name a study" in page.content.decode()
    assert page.content.decode().count('id="id_study"') == 0  # no study yet: no download form
    assert page.content.decode().count('id="new_study"') == 1
    named = client.post(reverse("research_study_new"), {"study": "fit-2027"})
    assert named.status_code == 302 and named["Location"].endswith("?study=FIT-2027")
    assert audited("create", object_type="researchstudy")
    both = client.get(named["Location"]).content.decode()
    assert both.count('id="id_study"') == 1 and both.count('id="new_study"') == 1
    assert '<option value="FIT-2027" selected>' in both
    again = client.post(reverse("research_study_new"), {"study": "FIT-2027"})
    assert again.status_code == 400 and "already has a study FIT-2027" in again.content.decode()
    bad = client.post(reverse("research_study_new"), {"study": "no spaces!"})
    assert bad.status_code == 400 and "The study code must be" in bad.content.decode()
    response = client.get(reverse("research_export"), QUERY)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "participants.csv" in archive.namelist()
    events = AuditEvent.objects.filter(action="export", object_type="researchstudy")
    assert events.count() == 1  # one event per export, not per row or child
    detail = events.get().detail
    assert "FIT-2027" in detail and str(TODAY) in detail and "children" in detail
    for patient in Patient.objects.all():
        assert patient.legal_name not in detail


def test_an_unknown_study_or_a_period_backwards_is_named(client, demo):
    _signed_in(client, "demo-coordinator")
    research_study_create(by=User.objects.get(username="demo-coordinator"), code="FIT-2027")
    unknown = client.get(reverse("research_export"), {**QUERY, "study": "NOPE"})
    assert unknown.status_code == 400 and "one of the clinic" in unknown.content.decode()
    backwards = client.get(
        reverse("research_export"), {**QUERY, "start": TODAY.isoformat(), "end": "2020-01-01"}
    )
    assert (
        backwards.status_code == 400
        and "must not come before its start" in backwards.content.decode()
    )


def test_a_cohort_too_small_is_refused_with_the_reason(client, demo):
    _signed_in(client, "demo-coordinator")
    research_study_create(by=User.objects.get(username="demo-coordinator"), code="FIT-2027")
    few = client.get(reverse("research_export"), {**QUERY, "start": TODAY.isoformat()})
    assert few.status_code == 409
    assert "fewer than 5 children" in few.content.decode()
    assert not audited("export", object_type="researchstudy")


def test_other_roles_get_a_403_and_no_one_signed_out_gets_in(client, demo):
    assert client.get(reverse("research")).status_code == 302
    assert client.get(reverse("research_export"), QUERY).status_code == 302
    for username in ("demo-pt", "demo-admin", "demo-physician"):
        _signed_in(client, username)
        assert client.get(reverse("research")).status_code == 403
        assert client.get(reverse("research_export"), QUERY).status_code == 403
        assert client.post(reverse("research_study_new"), {"study": "X1"}).status_code == 403
        client.logout()
    assert not ResearchStudy.objects.exists()


def test_a_session_not_confirmed_lately_is_sent_to_confirm_the_password(client, demo):
    _signed_in(client, "demo-coordinator")
    research_study_create(by=User.objects.get(username="demo-coordinator"), code="FIT-2027")
    session = client.session
    session.pop(SESSION_KEY, None)
    session.save()
    response = client.get(reverse("research_export"), QUERY)
    assert response.status_code == 302 and response["Location"].startswith(reverse("sudo_confirm"))
    assert not audited("export", object_type="researchstudy")
    posted = client.post(reverse("research_study_new"), {"study": "SLEEP-1"})
    assert posted.status_code == 302 and posted["Location"].startswith(reverse("sudo_confirm"))
    assert not ResearchStudy.objects.filter(code="SLEEP-1").exists()


def test_the_queries_do_not_grow_with_the_cohort(demo):
    coordinator = User.objects.get(username="demo-coordinator")
    study = research_study_create(by=coordinator, code="FIT-2027")
    narrow, wide = (CohortFilter(TODAY - timedelta(days=d), TODAY) for d in (300, 800))
    with CaptureQueriesContext(connection) as few:
        small = research_export(by=coordinator, study=study, cohort_filter=narrow)
    with CaptureQueriesContext(connection) as many:
        large = research_export(by=coordinator, study=study, cohort_filter=wide)
    assert large.cohort_children > small.cohort_children
    assert large.rows["diary_answers"] > small.rows["diary_answers"]
    assert len(many) == len(few)


def test_the_command_exports_with_a_progress_bar_as_the_named_person(demo, tmp_path, capsys):
    out = StringIO()
    target = tmp_path / "fit.zip"
    args = ["--from", QUERY["start"], "--to", QUERY["end"], "--out", str(target)]
    with pytest.raises(CommandError, match="no study FIT-2027; add --create"):
        call_command("research_export", "--study", "FIT-2027", "--by", "demo-coordinator", *args)
    with pytest.raises(CommandError, match="--by: 'demo-pt' is not an active account"):
        call_command("research_export", "--study", "FIT-2027", "--by", "demo-pt", *args)
    with pytest.raises(CommandError, match="--from: 'June' is not a date"):
        call_command(
            "research_export", "--study", "X1", "--by", "demo-coordinator", *args, "--from", "June"
        )
    call_command(
        "research_export",
        "--study",
        "FIT-2027",
        "--by",
        "demo-coordinator",
        "--create",
        *args,
        stdout=out,
    )
    err = capsys.readouterr().err
    assert "children exported" in out.getvalue()
    assert "Research export FIT-2027" in err and "6/6" in err
    with zipfile.ZipFile(target) as archive:
        assert "README.txt" in archive.namelist()
    assert audited("export", object_type="researchstudy", actor_username="demo-coordinator")
    today = ["--from", QUERY["end"], "--to", QUERY["end"], "--out", str(tmp_path / "few.zip")]
    with pytest.raises(CommandError, match="fewer than 5 children"):
        call_command("research_export", "--study", "FIT-2027", "--by", "demo-coordinator", *today)
    assert not (tmp_path / "few.zip").exists()
