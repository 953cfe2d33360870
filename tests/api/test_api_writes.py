"""The JSON API's writes beyond the diary and questionnaires: a message, a goal's rating, an
exercise's tick, each through the page's own action, with its rules, idempotency and refusals."""

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from backto.audit.models import AuditEvent
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.goals import actions as goals
from backto.capabilities.goals.models import GoalRating
from backto.capabilities.homeprogram.models import DesensitizationLog, ExerciseLog
from backto.capabilities.messaging.models import Conversation, Message
from tests.conftest import TODAY
from tests.goals.conftest import LEVELS

pytestmark = pytest.mark.django_db


def send(client: Client, url: str, body: Any, method: str = "post") -> Any:
    return getattr(client, method)(
        url, json.dumps(body, default=str), content_type="application/json"
    )


def message(words: str, key: uuid.UUID | None = None) -> dict[str, str]:
    return {"body": words, "idempotency_key": str(key or uuid.uuid4())}


def test_a_parent_sends_a_message_once_however_often_it_is_sent(
    as_user: Any, gina: Any, maya: Any, episode: Any
) -> None:
    url = f"/api/v1/patients/{maya.pk}/conversations/family/messages"
    key = uuid.uuid4()
    first = send(as_user(gina), url, message("Can we move Thursday's visit?", key))
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["outcome"] == "created" and body["help"] is None
    assert body["message"]["from_family"] and body["message"]["conversation_kind"] == "family"
    again = send(as_user(gina), url, message("Can we move Thursday's visit?", key))
    assert again.status_code == 200 and again.json()["outcome"] == "already"
    assert again.json()["message"]["id"] == body["message"]["id"]
    assert Message.objects.count() == 1
    conversation = Conversation.objects.get()
    assert conversation.waiting_since is not None  # it waits in the care team's inbox


def test_an_empty_or_long_message_names_the_body_and_starts_nothing(
    as_user: Any, gina: Any, maya: Any, episode: Any
) -> None:
    url = f"/api/v1/patients/{maya.pk}/conversations/family/messages"
    empty = send(as_user(gina), url, message("   "))
    assert empty.status_code == 422
    assert empty.json()["errors"] == [
        {"pointer": "#/body", "detail": "Write a message or add a photo."}
    ]
    long = send(as_user(gina), url, message("x" * 4001))
    assert long.status_code == 422 and "4,000" in long.json()["detail"]
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_worrying_words_alert_the_team_and_answer_with_the_clinics_numbers(
    as_user: Any, clinic: Any, gina: Any, maya: Any, episode: Any
) -> None:
    clinic.phone = "555-0100"
    clinic.save()
    url = f"/api/v1/patients/{maya.pk}/conversations/family/messages"
    key = uuid.uuid4()
    answer = send(as_user(gina), url, message("She said she wants to kill herself", key))
    assert answer.status_code == 201
    help_words = answer.json()["help"]
    assert help_words["phone"] == "555-0100" and help_words["words"]
    assert SafetyAlert.objects.filter(patient=maya).count() == 1
    retry = send(as_user(gina), url, message("She said she wants to kill herself", key))
    assert retry.json()["help"]["phone"] == "555-0100"  # a retry is shown the help too
    assert SafetyAlert.objects.filter(patient=maya).count() == 1


def test_a_teens_own_conversation_is_not_there_for_a_guardian(
    as_user: Any,
    bearer: Any,
    pat: Any,
    gina: Any,
    maya_teen: Any,
    maya: Any,
    episode: Any,
) -> None:
    teen_url = f"/api/v1/patients/{maya.pk}/conversations/teen/messages"
    assert send(as_user(gina), teen_url, message("Let me read it")).status_code == 404
    assert AuditEvent.objects.filter(action="permission_denied", patient_id=maya.pk).exists()
    assert send(as_user(maya_teen), teen_url, message("Just for my team")).status_code == 201
    reply = send(bearer(pat, "read_write"), teen_url, message("Thanks for telling us"))
    assert reply.status_code == 201 and not reply.json()["message"]["from_family"]
    assert (
        send(as_user(gina), f"/api/v1/patients/{maya.pk}/conversations/x/messages", {}).status_code
        == 404
    )
    assert Message.objects.filter(conversation__kind="teen").count() == 2


def test_a_child_without_a_teen_account_has_no_teen_conversation(
    bearer: Any, pat: Any, maya: Any, episode: Any
) -> None:
    url = f"/api/v1/patients/{maya.pk}/conversations/teen/messages"
    refused = send(bearer(pat, "read_write"), url, message("Hello"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["pointer"] == "#/kind"
    assert not Conversation.objects.exists()


def test_a_read_only_token_sends_nothing(bearer: Any, pat: Any, maya: Any, episode: Any) -> None:
    url = f"/api/v1/patients/{maya.pk}/conversations/family/messages"
    refused = send(bearer(pat), url, message("Hello"))
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:backto:problem:read-only-token"
    assert not Message.objects.exists()


def test_the_care_team_rates_a_goal_and_a_second_rating_that_day_replaces_it(
    bearer: Any, pat: Any, episode: Any
) -> None:
    goal = goals.goal_create(
        by=pat, episode=episode, title="Walk to class", discipline="pt", **LEVELS
    )
    url = f"/api/v1/goals/{goal.pk}/ratings"
    client = bearer(pat, "read_write")
    first = send(client, url, {"level": 0, "rated_on": TODAY})
    assert first.status_code == 200, first.content
    assert first.json() == {"rated_on": TODAY.isoformat(), "level": 0, "rater_kind": "clinician"}
    assert send(client, url, {"level": 1, "rated_on": TODAY}).json()["level"] == 1
    assert list(GoalRating.objects.values_list("level", flat=True)) == [1]


def test_a_bad_rating_names_its_field(bearer: Any, pat: Any, episode: Any) -> None:
    goal = goals.goal_create(
        by=pat, episode=episode, title="Walk to class", discipline="pt", **LEVELS
    )
    url = f"/api/v1/goals/{goal.pk}/ratings"
    client = bearer(pat, "read_write")
    level = send(client, url, {"level": 3, "rated_on": TODAY})
    assert level.status_code == 422 and level.json()["errors"][0]["pointer"] == "#/level"
    future = send(client, url, {"level": 1, "rated_on": TODAY + timedelta(days=1)})
    assert future.status_code == 422 and future.json()["errors"][0]["pointer"] == "#/rated_on"
    assert not GoalRating.objects.exists()


def test_a_family_rates_only_where_its_clinic_lets_families_rate(
    as_user: Any, clinic: Any, pat: Any, gina: Any, episode: Any
) -> None:
    goal = goals.goal_create(
        by=pat, episode=episode, title="Walk to class", discipline="pt", **LEVELS
    )
    url = f"/api/v1/goals/{goal.pk}/ratings"
    clinic.family_rates_goals = False
    clinic.save()
    assert send(as_user(gina), url, {"level": 0, "rated_on": TODAY}).status_code == 403
    clinic.family_rates_goals = True
    clinic.save()
    rated = send(as_user(gina), url, {"level": 0, "rated_on": TODAY})
    assert rated.status_code == 200 and rated.json()["rater_kind"] == "family"


def test_an_exercise_is_ticked_once_and_unticked(as_user: Any, gina: Any, walk_item: Any) -> None:
    url = f"/api/v1/home-program/{walk_item.pk}/days/{TODAY.isoformat()}"
    for _ in range(2):
        ticked = send(as_user(gina), url, {"done": True}, "put")
        assert ticked.status_code == 200, ticked.content
        assert ticked.json() == {
            "item_id": walk_item.pk,
            "day": TODAY.isoformat(),
            "done": True,
            "textures": 0,
        }
    assert ExerciseLog.objects.filter(item=walk_item).count() == 1
    unticked = send(as_user(gina), url, {"done": False}, "put")
    assert unticked.json()["done"] is False and not ExerciseLog.objects.exists()


def test_an_exercise_day_outside_today_and_yesterday_is_refused(
    as_user: Any, gina: Any, walk_item: Any
) -> None:
    old = TODAY - timedelta(days=2)
    refused = send(
        as_user(gina), f"/api/v1/home-program/{walk_item.pk}/days/{old}", {"done": True}, "put"
    )
    assert refused.status_code == 422 and "today or yesterday" in refused.json()["detail"]
    bad_day = send(
        as_user(gina), f"/api/v1/home-program/{walk_item.pk}/days/2026-02-30", {"done": True}, "put"
    )
    assert bad_day.status_code == 422
    assert not ExerciseLog.objects.exists()


def test_textures_are_recorded_and_a_wrong_one_names_its_row(
    as_user: Any, gina: Any, texture_item: Any
) -> None:
    url = f"/api/v1/home-program/{texture_item.pk}/days/{TODAY.isoformat()}"
    wrong = send(
        as_user(gina),
        url,
        {
            "done": True,
            "tolerated": [{"code": "silk", "minutes": 3}, {"code": "silk", "minutes": -1}],
        },
        "put",
    )
    assert wrong.status_code == 422
    assert {e["pointer"] for e in wrong.json()["errors"]} >= {"#/tolerated/1/minutes"}
    assert not ExerciseLog.objects.exists()
    body = {"done": True, "tolerated": [{"code": "fleece", "minutes": 5}]}
    recorded = send(as_user(gina), url, body, "put")
    assert recorded.json()["textures"] == 1
    assert list(DesensitizationLog.objects.values_list("stimulus", "minutes")) == [("fleece", 5)]


def test_a_clinician_ticks_no_exercise_and_outsiders_find_nothing(
    bearer: Any, as_user: Any, pat: Any, otto: Any, walk_item: Any
) -> None:
    url = f"/api/v1/home-program/{walk_item.pk}/days/{TODAY.isoformat()}"
    assert send(bearer(pat, "read_write"), url, {"done": True}, "put").status_code == 403
    assert send(as_user(otto), url, "not json", "put").status_code == 404
    assert not ExerciseLog.objects.exists()
