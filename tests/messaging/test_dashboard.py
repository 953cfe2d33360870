"""The messages on the dashboards: what waits on the clinician's home and the caseload, a child's
conversations on the overview, and on the family's home a way to write or the care team's new
reply; each in a fixed number of queries whatever the number of children."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients import actions as patients
from backto.access.patients.models import Guardianship
from backto.capabilities.messaging.actions import conversation_read, message_assign
from backto.capabilities.messaging.models import Conversation
from tests.conftest import PINNED_AT, TODAY

HOME = reverse("clinician_home")
FAMILY_HOME = reverse("family_home")
FLAG = "</svg> Message waiting</span>"  # the badge on a caseload row


def _page(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_clinicians_home_says_how_many_conversations_wait(as_user, send, family, gina, pat):
    assert "wait for a reply" not in _page(as_user(pat), HOME)
    send(gina, family)
    home = _page(as_user(pat), HOME)
    assert "1 conversation waits for a reply" in home
    assert reverse("messages_inbox") in home and "assigned to you" not in home
    message_assign(by=pat, message=family.messages.get(), to=pat)
    assert "1 conversation waits for a reply</a> (1 assigned to you)" in _page(as_user(pat), HOME)


def test_the_home_counts_only_the_viewers_care_teams_unless_they_look_at_the_clinic(
    as_user, send, family, gina, cora, olive
):
    send(gina, family)
    assert "wait for a reply" not in _page(as_user(olive), HOME)  # not on Maya's team
    assert "wait for a reply" not in _page(as_user(cora), HOME)
    whole = _page(as_user(cora), HOME, show="clinic")
    assert "1 conversation waits for a reply" in whole


def test_the_teens_own_conversation_waits_only_for_the_care_team(
    as_user, send, teen_conversation, maya_teen, pat, cora
):
    send(maya_teen, teen_conversation)
    assert "1 conversation waits" in _page(as_user(pat), HOME)
    mine = _page(as_user(pat), HOME)
    assert FLAG in mine  # flagged on Maya's caseload row
    whole = _page(as_user(cora), HOME, show="clinic")
    assert "waits for a reply" not in whole and FLAG not in whole


def test_the_caseload_flags_a_child_with_a_message_waiting_and_filters_by_it(
    as_user, send, family, gina, pat, leo, cora
):
    episode = patients.episode_open(by=cora, patient=leo, referral_date=TODAY)
    patients.care_team_add(by=cora, episode=episode, clinician=pat, discipline="pt", lead=True)
    send(gina, family)
    flagged = _page(as_user(pat), HOME, flag="message_waiting")
    assert "Maya" in flagged and "Leo" not in flagged
    family.messages.update(done_at=PINNED_AT)
    Conversation.objects.filter(pk=family.pk).update(waiting_since=None)
    assert FLAG not in _page(as_user(pat), HOME)


def test_a_childs_overview_lists_the_conversations_the_viewer_may_open(
    as_user, send, family, teen_conversation, gina, maya_teen, pat, cora, maya
):
    send(gina, family)
    send(maya_teen, teen_conversation)
    url = reverse("patient_overview", args=[maya.pk])
    page = _page(as_user(pat), url)
    assert reverse("conversation", args=[family.pk]) in page
    assert reverse("conversation", args=[teen_conversation.pk]) in page
    assert "waiting since" in page and "private from guardians" in page
    coordinator = _page(as_user(cora), url)  # reaches Maya through the clinic, not her team
    assert reverse("conversation", args=[family.pk]) in coordinator
    assert reverse("conversation", args=[teen_conversation.pk]) not in coordinator
    assert "own conversation" not in coordinator
    # The family's own overview shows no card: their home does.
    assert reverse("conversation", args=[family.pk]) not in _page(as_user(gina), url)


def test_an_overview_without_conversations_offers_to_start_one(as_user, pat, maya, episode):
    page = _page(as_user(pat), reverse("patient_overview", args=[maya.pk]))
    assert "No messages yet." in page
    assert reverse("conversation_start", args=[maya.pk, "family"]) in page
    assert reverse("conversation_start", args=[maya.pk, "teen"]) not in page  # no teen account


def test_the_family_home_offers_to_write_then_shows_the_care_teams_reply(
    as_user, send, family, gina, pat, maya, episode
):
    home = _page(as_user(gina), FAMILY_HOME)
    assert "Write to the care team" in home
    assert reverse("conversation_start", args=[maya.pk, "family"]) in home
    send(gina, family, "Is swelling normal after PT?")
    assert "A new reply" not in _page(as_user(gina), FAMILY_HOME)  # her own message
    send(pat, family, "Some swelling is normal; ice it.")
    home = _page(as_user(gina), FAMILY_HOME)
    assert "A new reply from the care team." in home
    assert reverse("conversation", args=[family.pk]) in home
    assert "ice it" not in home
    conversation_read(by=gina, conversation=family, up_to=family.messages.last().created_at)
    assert "A new reply" not in _page(as_user(gina), FAMILY_HOME)


def test_a_reply_in_the_teens_own_conversation_shows_to_the_teen_alone(
    as_user, send, teen_conversation, maya_teen, gina, pat, episode
):
    send(pat, teen_conversation, "How did school go?")
    teen = _page(as_user(maya_teen), FAMILY_HOME)
    assert "A new reply in your own conversation with the care team." in teen
    # The news replaces the card's button: the one link left to the list is the navigation's.
    assert teen.count(f'href="{reverse("messages_family")}"') == 1
    guardian = _page(as_user(gina), FAMILY_HOME)
    assert "A new reply" not in guardian and "Write to the care team" in guardian


def _children(cora, pat, clinic, guardian, n, start):
    for i in range(start, start + n):
        child = patients.patient_register(
            by=cora, clinic=clinic, legal_name=f"Child {i}", date_of_birth=date(2012, 1, 1)
        )
        episode = patients.episode_open(by=cora, patient=child, referral_date=TODAY)
        patients.care_team_add(by=cora, episode=episode, clinician=pat, discipline="pt", lead=True)
        Guardianship.objects.create(guardian=guardian, patient=child, relationship="mother")
        Conversation.objects.create(
            patient=child,
            kind="family",
            last_message_at=PINNED_AT - timedelta(hours=i),
            waiting_since=PINNED_AT - timedelta(hours=i),
            assigned_to=pat if i % 2 else None,
        )


@pytest.mark.parametrize(("who", "url"), [("pat", HOME), ("gina", FAMILY_HOME)])
def test_the_homes_query_counts_do_not_grow_with_the_children(
    as_user, who, url, request, cora, pat, clinic, gina
):
    viewer = request.getfixturevalue(who)
    client = as_user(viewer)
    _children(cora, pat, clinic, gina, 2, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        first = client.get(url).content.decode()
    _children(cora, pat, clinic, gina, 8, 2)
    with CaptureQueriesContext(connection) as large:
        second = client.get(url).content.decode()
    if who == "pat":
        assert "2 conversations wait" in first and "10 conversations wait" in second
        assert "(5 assigned to you)" in second
    else:
        assert first.count("Write to the care team") == 2
        assert second.count("Write to the care team") == 10
    assert len(large) == len(small)


def test_the_overviews_query_count_does_not_grow_with_the_messages(
    as_user, send, family, gina, pat, maya
):
    url = reverse("patient_overview", args=[maya.pk])
    send(gina, family)
    client = as_user(pat)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(6):
        send(gina, family, f"Question {n}")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
