from datetime import timedelta

import pytest
from django.urls import reverse

from backto.capabilities.careplan import actions
from backto.capabilities.careplan.models import SessionAddendum, TherapySession
from backto.capabilities.careplan.queries import program_dose
from tests.conftest import TODAY, audited, make_user


@pytest.fixture
def connie(clinic, episode):
    from backto.access.patients.actions import care_team_add

    user = make_user(clinic, "connie", roles=("counselor",), display_name="Connie Counselor")
    care_team_add(by=user, episode=episode, clinician=user, discipline="counseling")
    return user


def session_data(**overrides):
    data = {
        "date": TODAY.isoformat(),
        "discipline": "pt",
        "minutes": "60",
        "attended": "on",
        "subjective": "Walked to school twice",
        "objective": "6MWT 480 m",
        "assessment": "Improving",
        "plan": "Add stairs",
        "measures": "",
    }
    data.update(overrides)
    return data


def test_a_pt_records_and_signs_a_note(as_user, pat, episode):
    client = as_user(pat)
    response = client.post(reverse("session_list", args=[episode.pk]), session_data())
    session = TherapySession.objects.get()
    assert response["Location"] == reverse("session_detail", args=[session.pk])
    client.post(reverse("session_sign", args=[session.pk]))
    session.refresh_from_db()
    assert session.signed_by == pat
    assert audited("update", object_type="therapysession", detail="signed")


def test_a_signed_note_is_corrected_only_by_an_addendum(as_user, pat, episode):
    session = actions.session_record(
        by=pat,
        episode=episode,
        date=TODAY,
        discipline="pt",
        minutes=45,
        attended=True,
        subjective="First",
    )
    actions.session_sign(by=pat, session=session)
    client = as_user(pat)
    client.post(reverse("session_detail", args=[session.pk]), session_data(subjective="Changed"))
    session.refresh_from_db()
    assert session.subjective == "First"
    client.post(reverse("session_addendum", args=[session.pk]), {"text": "Also practised stairs."})
    assert SessionAddendum.objects.get().text == "Also practised stairs."


def test_a_pt_cannot_sign_a_counseling_note(as_user, pat, connie, episode):
    session = actions.session_record(
        by=connie,
        episode=episode,
        date=TODAY,
        discipline="counseling",
        minutes=50,
        attended=True,
    )
    response = as_user(pat).post(reverse("session_sign", args=[session.pk]))
    assert response.status_code == 403
    session.refresh_from_db()
    assert not session.is_signed


def test_the_counselor_signs_her_own_discipline(connie, episode):
    session = actions.session_record(
        by=connie,
        episode=episode,
        date=TODAY,
        discipline="counseling",
        minutes=50,
        attended=True,
    )
    assert actions.session_sign(by=connie, session=session).is_signed


def test_the_program_dose_sums_attended_sessions(pat, connie, episode):
    today = TODAY
    for n, (discipline, by, minutes, attended) in enumerate(
        [
            ("pt", pat, 60, True),
            ("pt", pat, 60, True),
            ("counseling", connie, 50, True),
            ("pt", pat, 60, False),
        ]
    ):
        actions.session_record(
            by=by,
            episode=episode,
            date=today - timedelta(days=n // 2),
            discipline=discipline,
            minutes=minutes,
            attended=attended,
        )
    dose = program_dose(episode)
    assert dose.days == 2 and dose.attended == 3 and dose.missed == 1
    assert dose.hours == {"Physical therapy": 2.0, "Occupational therapy": 0.0, "Counseling": 0.8}


def test_it_names_the_field_for_bad_input(as_user, pat, episode):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = as_user(pat).post(
        reverse("session_list", args=[episode.pk]), session_data(date=tomorrow, minutes="1000")
    )
    assert b"on or after the day it happened" in response.content
    assert b"less than or equal to 480" in response.content
    assert not TherapySession.objects.exists()


def test_families_do_not_read_session_notes(as_user, gina, episode):
    assert as_user(gina).get(reverse("session_list", args=[episode.pk])).status_code == 403


def test_it_returns_404_to_a_pt_off_the_care_team(as_user, olive, pat, episode):
    session = actions.session_record(
        by=pat, episode=episode, date=TODAY, discipline="pt", minutes=45, attended=True
    )
    assert as_user(olive).get(reverse("session_detail", args=[session.pk])).status_code == 404
