"""Reads and refusals that the audit log missed: list pages and home pages (one event per page,
with the filters, never a name), the part of a record a read showed, anonymous requests sent to
sign in, forms refused by the CSRF check, methods a page does not take, and ids under a record
that are not part of it."""

import pytest
from django.test import Client
from django.urls import reverse

from backto.access.patients import actions
from backto.audit.models import AuditEvent
from backto.capabilities.goals import actions as goal_actions
from tests.conftest import TODAY
from tests.goals.conftest import LEVELS


def events(**filters):
    return list(AuditEvent.objects.filter(**filters))


def page_views(name):
    return events(action="view", object_type="page", object_id=name)


def refusals(**filters):
    return events(action="permission_denied", **filters)


@pytest.fixture
def leo_episode(leo, cora, pat):
    episode = actions.episode_open(by=cora, patient=leo, referral_date=TODAY)
    actions.care_team_add(by=cora, episode=episode, clinician=pat, discipline="pt", lead=True)
    return episode


# Lists and home pages: one event per page shown.


def test_the_family_home_is_one_event_naming_the_children_by_id(as_user, gina, maya, episode):
    assert as_user(gina).get(reverse("family_home")).status_code == 200
    [event] = page_views("family_home")
    assert event.actor_id == gina.pk and event.detail == f"patients {maya.pk}"
    assert "Maya" not in event.detail


def test_the_caseload_is_one_event_with_its_filters_however_many_rows(
    as_user, cora, pat, clinic, leo_episode, episode
):
    client = as_user(cora)
    query = {"show": "clinic", "state": "open", "flag": "no_diary", "sort": "name"}
    assert client.get(reverse("clinician_home"), query).status_code == 200
    assert client.get(reverse("clinician_home"), {"show": "mine"}).status_code == 200
    first, second = sorted(page_views("clinician_home"), key=lambda e: e.pk)
    assert first.detail == "show=clinic state=open flag=no_diary sort=name page=1"
    assert second.detail == "show=mine state=open sort=name page=1"
    assert first.patient_id is None


def test_the_families_and_invitations_pages_are_audited(as_user, ada, gina):
    client = as_user(ada)
    assert client.get(reverse("family_list")).status_code == 200
    assert client.get(reverse("invitation_list"), {"page": "1"}).status_code == 200
    assert [e.actor_id for e in page_views("family_list")] == [ada.pk]
    [invitations] = page_views("invitation_list")
    assert invitations.detail == "page=1"


def test_reading_the_audit_log_is_audited_with_its_filters_and_no_name(as_user, ada, pat, maya):
    client = as_user(ada)
    response = client.get(
        reverse("audit_log"), {"actor": "PAT", "patient": maya.pk, "action": "view"}
    )
    assert response.status_code == 200
    [event] = page_views("audit_log")
    assert event.detail == f"actor=#{pat.pk} action=view patient={maya.pk} page=1"
    assert "pat" not in event.detail.lower().replace(f"patient={maya.pk}", "")
    client.get(reverse("audit_log"), {"actor": "nobody-here"})
    assert page_views("audit_log")[0].detail == "actor=no account page=1"


def test_the_learning_lists_are_audited(as_user, client, gina, cora):
    assert as_user(gina).get(reverse("learning_index"), {"for": "kids"}).status_code == 200
    [index] = page_views("learning_index")
    assert index.detail == "audience=kids" and index.actor_id == gina.pk
    client.logout()
    assert as_user(cora).get(reverse("learning_admin")).status_code == 200
    assert [e.actor_id for e in page_views("learning_admin")] == [cora.pk]


# The part of the record a read showed.


@pytest.mark.parametrize(
    "url_name", ["patient_overview", "diary_calendar", "win_list", "access_log"]
)
def test_a_read_of_a_childs_record_names_the_part_read(as_user, pat, maya, episode, url_name):
    assert as_user(pat).get(reverse(url_name, args=[maya.pk])).status_code == 200
    [event] = events(action="view", actor_id=pat.pk, patient_id=maya.pk)
    assert (event.object_type, event.detail) == ("patient", url_name)


def test_episode_pages_and_reports_name_the_part_read(as_user, pat, maya, episode):
    client = as_user(pat)
    client.get(reverse("goal_list", args=[episode.pk]))
    client.get(reverse("progress", args=[episode.pk]))
    client.get(reverse("report_pdf", args=[episode.pk, "family"]))
    details = [e.detail for e in events(action="view", actor_id=pat.pk, object_type="episode")]
    assert sorted(details) == ["goal_list", "progress", "report_pdf kind=family"]


def test_the_access_log_tells_the_family_which_part_was_read(
    as_user, client, pat, gina, maya, episode
):
    as_user(pat).get(reverse("diary_calendar", args=[maya.pk]))
    as_user(pat).get(reverse("report_pdf", args=[episode.pk, "family"]))
    client.logout()
    text = as_user(gina).get(reverse("access_log", args=[maya.pk])).content.decode()
    assert "<td>Diary</td>" in text and "<td>Report (family)</td>" in text


# Refusals.


def test_an_anonymous_request_sent_to_sign_in_is_audited(client, maya):
    response = client.get(reverse("patient_overview", args=[maya.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    [event] = refusals(object_id="patient_overview")
    assert event.actor_id is None and event.patient_id is None
    assert event.detail == f"302 sign-in required patient_id={maya.pk}"


def test_a_form_refused_by_the_csrf_check_is_audited_and_gets_a_kind_page(pat, episode):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pat, backend="backto.access.accounts.backends.UsernameOrEmailBackend")
    response = client.post(reverse("episode_transition", args=[episode.pk]), {"target": "intake"})
    assert response.status_code == 403
    assert "Please send the form again" in response.content.decode()
    [event] = refusals(actor_id=pat.pk)
    assert event.object_id == "episode_transition" and event.detail.startswith("403 csrf")
    assert event.detail.endswith(f"episode_id={episode.pk}")
    episode.refresh_from_db()
    assert episode.state == "referred"


def test_an_anonymous_sign_in_without_its_token_is_audited(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "pat", "password": "x"})
    assert response.status_code == 403
    [event] = refusals(object_id="login")
    assert event.actor_id is None and event.detail.startswith("403 csrf")


def test_a_method_the_page_does_not_take_is_audited(as_user, pat, episode):
    response = as_user(pat).get(reverse("episode_transition", args=[episode.pk]))
    assert response.status_code == 405
    [event] = refusals(actor_id=pat.pk)
    assert event.object_id == "episode_transition"
    assert event.detail == f"405 GET episode_id={episode.pk}"


def test_another_childs_goal_step_under_my_childs_goal_is_an_audited_404(
    as_user, pat, maya, episode, leo_episode
):
    def goal_of(episode, title):
        return goal_actions.goal_create(
            by=pat, episode=episode, title=title, discipline="pt", steps=["Sit"], **LEVELS
        )

    goal, leos = goal_of(episode, "Walk to class"), goal_of(leo_episode, "Ride a bike")
    step = leos.steps.get()
    response = as_user(pat).post(reverse("goal_step_mark", args=[goal.pk, step.pk]), {"done": "1"})
    assert response.status_code == 404
    [event] = refusals(actor_id=pat.pk)
    assert event.patient_id == maya.pk and event.object_id == "goal_step_mark"
    assert event.detail == f"404 goal_id={goal.pk} step_id={step.pk}"
    step.refresh_from_db()
    assert step.done_on is None


def test_another_episodes_care_team_member_is_an_audited_404(
    as_user, pat, maya, episode, leo_episode
):
    member = leo_episode.care_team.get()
    response = as_user(pat).post(reverse("care_team_remove", args=[episode.pk, member.pk]))
    assert response.status_code == 404
    [event] = refusals(actor_id=pat.pk)
    assert event.patient_id == maya.pk and event.detail.startswith("404 ")


def test_a_refusal_by_a_loader_is_audited_once(as_user, olive, maya, episode):
    assert as_user(olive).get(reverse("patient_overview", args=[maya.pk])).status_code == 404
    [event] = refusals(actor_id=olive.pk)
    assert event.detail == "404 patient_view"


def test_an_unknown_address_is_audited_for_the_signed_in_only(as_user, client, pat):
    assert client.get("/no-such-page/").status_code == 404
    assert refusals() == []
    assert as_user(pat).get("/no-such-page/").status_code == 404
    [event] = refusals(actor_id=pat.pk)
    assert event.detail == "404 /no-such-page/"
