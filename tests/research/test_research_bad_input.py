"""Whatever a coordinator sends the research export, it answers with the zip, a refusal naming the
field (400) or the reason (409), never an error page; and a study code is named or refused."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backto.readers.research.actions import research_study_create
from backto.readers.research.models import ResearchStudy
from tests.conftest import make_user

REQUESTS = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.slow
@REQUESTS
@given(
    start=st.dates() | st.text(max_size=20),
    end=st.dates(),
    study=st.sampled_from(["FIT-2027", "fit-2027", ""]) | st.text(max_size=40),
    discharged=st.text(max_size=5),
)
def test_any_cohort_is_a_zip_or_a_named_refusal(as_user, cora, start, end, study, discharged):
    if not ResearchStudy.objects.exists():
        research_study_create(by=cora, code="FIT-2027")
    query = {
        "study": study,
        "start": str(start),
        "end": end.isoformat(),
        "discharged_only": discharged,
    }
    response = as_user(cora).get(reverse("research_export"), query)
    assert response.status_code in (400, 409)  # the test clinic has no cohort of 5 children


@pytest.mark.slow
@REQUESTS
@given(code=st.text(max_size=40) | st.sampled_from(["", " ", "\x00", "A\x00B", "é1", "a" * 31]))
def test_any_study_code_is_named_or_refused(as_user, cora, code):
    response = as_user(cora).post(reverse("research_study_new"), {"study": code})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert (
            "study code" in response.content.decode() or "already has" in response.content.decode()
        )


def test_a_study_belongs_to_its_clinic(as_user, cora, other_clinic):
    ours = research_study_create(by=cora, code="FIT-2027")
    coordinator = make_user(other_clinic, "hana", roles=("coordinator",))
    theirs = research_study_create(by=coordinator, code="FIT-2027")  # the same code elsewhere
    assert ours.key != theirs.key
    query = {"study": "FIT-2027", "start": "2026-01-01", "end": "2026-06-01"}
    response = as_user(coordinator).get(reverse("research_export"), query)
    assert response.status_code == 409  # their own study (too few children), never ours
    ours.delete()
    theirs.delete()
    refused = as_user(coordinator).get(reverse("research_export"), query)
    assert refused.status_code == 400 and "one of the clinic" in refused.content.decode()
