"""The JSON API's records, read and written under the pages' rules: teen privacy, pain shown
only where the pages show it, the diary's idempotency, the questionnaire's own action."""

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.goals import actions as goals
from backto.capabilities.measures.models import Administration
from backto.capabilities.messaging import actions as messaging
from tests.conftest import TODAY
from tests.goals.conftest import LEVELS

pytestmark = pytest.mark.django_db

ANSWERS = {
    "activity": 3,
    "school": 1,
    "school_hours": 4,
    "sleep_hours": 7.5,
    "sleep_quality": 3,
    "mood": 1,
    "home_program": 2,
    "win": "Went to school for the morning",
}


def post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def diary_body(key: uuid.UUID | None = None, **changes: Any) -> dict[str, Any]:
    return {
        "day": TODAY.isoformat(),
        "respondent": "child",
        "answers": ANSWERS,
        "idempotency_key": str(key or uuid.uuid4()),
        **changes,
    }


def test_a_teen_saves_a_diary_once_however_often_it_is_sent(
    as_user: Any, maya_teen: Any, maya: Any, episode: Any
) -> None:
    client = as_user(maya_teen)
    url = f"/api/v1/patients/{maya.pk}/diary"
    key = uuid.uuid4()
    first = post_json(client, url, diary_body(key, private_fields=["mood"]))
    assert first.status_code == 201, first.content
    assert first.json()["outcome"] == "created"
    again = post_json(client, url, diary_body(key, private_fields=["mood"]))
    assert again.status_code == 200 and again.json()["outcome"] == "already"
    edited = post_json(client, url, diary_body(answers={**ANSWERS, "activity": 4}))
    assert edited.status_code == 200 and edited.json()["outcome"] == "edited"
    assert DiaryEntry.objects.filter(patient=maya).count() == 1


def test_a_session_write_needs_the_pages_csrf_token(
    maya_teen: Any, maya: Any, episode: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(maya_teen, backend="backto.access.accounts.backends.UsernameOrEmailBackend")
    response = post_json(client, f"/api/v1/patients/{maya.pk}/diary", diary_body())
    assert response.status_code == 403
    assert not DiaryEntry.objects.exists()


def test_bad_diary_input_names_the_field(
    as_user: Any, maya_teen: Any, maya: Any, episode: Any
) -> None:
    client = as_user(maya_teen)
    url = f"/api/v1/patients/{maya.pk}/diary"
    future = post_json(client, url, diary_body(day=(TODAY + timedelta(days=1)).isoformat()))
    assert future.status_code == 422
    assert future.json()["errors"][0]["pointer"] == "#/day"
    missing_key = diary_body()
    del missing_key["idempotency_key"]
    response = post_json(client, url, missing_key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/idempotency_key"
    too_high = post_json(client, url, diary_body(answers={**ANSWERS, "mood": 21}))
    assert too_high.status_code == 422 and "21" in too_high.json()["detail"]
    assert not DiaryEntry.objects.exists()


def test_a_clinician_cannot_write_a_diary_even_with_a_write_token(
    bearer: Any, pat: Any, maya: Any, episode: Any
) -> None:
    response = post_json(
        bearer(pat, "read_write"), f"/api/v1/patients/{maya.pk}/diary", diary_body()
    )
    assert response.status_code == 403


def test_guardians_never_read_a_teens_private_answers_and_pain_follows_the_setting(
    as_user: Any, bearer: Any, maya_teen: Any, gina: Any, pat: Any, maya: Any, episode: Any
) -> None:
    post_json(
        as_user(maya_teen),
        f"/api/v1/patients/{maya.pk}/diary",
        diary_body(answers={**ANSWERS, "pain": 6}, private_fields=["mood", "win"]),
    )
    team = bearer(pat).get(f"/api/v1/patients/{maya.pk}/diary").json()["items"][0]
    assert team["answers"]["mood"] == 1 and team["answers"]["pain"] == 6
    assert team["private_fields"] == ["mood", "win"]
    family = Client()
    family.force_login(gina, backend="backto.access.accounts.backends.UsernameOrEmailBackend")
    seen = family.get(f"/api/v1/patients/{maya.pk}/diary").json()["items"][0]
    assert "mood" not in seen["answers"] and "win" not in seen["answers"]
    assert "pain" not in seen["answers"]  # the care team has not shown pain to the family
    assert seen["some_answers_kept_private"] is True and seen["private_fields"] == []
    assert b"Went to school" not in family.get(f"/api/v1/patients/{maya.pk}/diary").content


def test_the_diary_list_filters_by_day_and_keeps_its_query_count(
    bearer: Any,
    pat: Any,
    maya_teen: Any,
    maya: Any,
    episode: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = bearer(pat)
    url = f"/api/v1/patients/{maya.pk}/diary"

    def add(days_ago: int) -> None:
        DiaryEntry.objects.create(
            patient=maya,
            day=TODAY - timedelta(days=days_ago),
            respondent="child",
            author=maya_teen,
            answers=dict(ANSWERS),
            instrument_id="daily-diary",
            instrument_version="1.0.0",
            idempotency_key=uuid.uuid4(),
        )

    add(1)
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    for n in range(2, 40):
        add(n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(url).json()
    assert len(body["items"]) == 39
    since = (TODAY - timedelta(days=3)).isoformat()
    days = [e["day"] for e in client.get(f"{url}?since={since}").json()["items"]]
    assert sorted(days) == [(TODAY - timedelta(days=n)).isoformat() for n in (3, 2, 1)]


def test_questionnaires_carry_their_instrument_version_and_rule(
    bearer: Any, pat: Any, cora: Any, active: Any
) -> None:
    fdi = Administration.objects.get(
        episode=active, instrument_id="fdi-child", timepoint="baseline"
    )
    client = bearer(pat, "read_write")
    url = f"/api/v1/questionnaires/{fdi.pk}/answers"
    answers = {str(n): 1 for n in range(1, 16)}
    done = post_json(client, url, {"answers": answers, "finish": True})
    assert done.status_code == 200, done.content
    score = done.json()["score"]
    assert score["total"] == "15.0" and score["rule"] and score["engine_version"]
    assert done.json()["instrument_version"] and done.json()["on_behalf"] is True
    # The same completed submission again changes nothing and answers the same.
    assert post_json(client, url, {"answers": answers, "finish": True}).json() == done.json()
    other = post_json(client, url, {"answers": {"1": 4}, "finish": True})
    assert (
        other.status_code == 409
        and other.json()["type"] == "urn:backto:problem:questionnaire-closed"
    )
    listed = bearer(cora).get(f"/api/v1/episodes/{active.pk}/questionnaires").json()["items"]
    assert any(a["id"] == fdi.pk and a["score"]["total"] == "15.0" for a in listed)


def test_a_family_lists_only_the_questionnaires_it_answers(
    as_user: Any, gina: Any, maya_teen: Any, active: Any
) -> None:
    items = as_user(gina).get(f"/api/v1/episodes/{active.pk}/questionnaires").json()["items"]
    assert items and {a["respondent"] for a in items} == {"parent"}


def test_a_questionnaire_answer_out_of_range_names_the_item(
    bearer: Any, pat: Any, active: Any
) -> None:
    fdi = Administration.objects.get(
        episode=active, instrument_id="fdi-child", timepoint="baseline"
    )
    response = post_json(
        bearer(pat, "read_write"), f"/api/v1/questionnaires/{fdi.pk}/answers", {"answers": {"1": 9}}
    )
    assert response.status_code == 422
    assert "9" in response.json()["detail"]
    fdi.refresh_from_db()
    assert fdi.answers == {}


def test_goal_ratings_are_for_the_care_team(
    bearer: Any, as_user: Any, pat: Any, gina: Any, episode: Any
) -> None:
    goal = goals.goal_create(
        by=pat, episode=episode, title="Walk to class", discipline="pt", **LEVELS
    )
    goals.goal_rate(by=pat, goal=goal, level=0, rated_on=TODAY)
    staff = bearer(pat).get(f"/api/v1/episodes/{episode.pk}/goals").json()["items"][0]
    assert staff["title"] == "Walk to class" and staff["ratings"][0]["level"] == 0
    assert [lv["level"] for lv in staff["levels"]] == [-2, -1, 0, 1, 2]
    family = as_user(gina).get(f"/api/v1/episodes/{episode.pk}/goals").json()["items"][0]
    assert family["title"] == "Walk to class" and family["ratings"] == []


def test_home_program_gives_todays_dose_and_adherence(
    bearer: Any, pat: Any, episode: Any, walk_item: Any
) -> None:
    body = bearer(pat).get(f"/api/v1/episodes/{episode.pk}/home-program").json()
    assert body["items"][0]["exercise"] == "Daily walk" and body["items"][0]["minutes_today"] >= 10
    assert body["adherence"] and body["adherence"][-1]["done"] == 0


def test_a_teens_own_conversation_is_not_for_guardians(
    bearer: Any, as_user: Any, pat: Any, gina: Any, maya_teen: Any, maya: Any, episode: Any
) -> None:
    teen = messaging.conversation_for(patient=maya, kind="teen", by=maya_teen)
    family_talk = messaging.conversation_for(patient=maya, kind="family", by=gina)
    messaging.message_send(
        by=maya_teen, conversation=teen, body="Just for my team", idempotency_key=uuid.uuid4()
    )
    messaging.message_send(
        by=gina, conversation=family_talk, body="From mum", idempotency_key=uuid.uuid4()
    )
    team = [
        m["body"] for m in bearer(pat).get(f"/api/v1/patients/{maya.pk}/messages").json()["items"]
    ]
    assert set(team) == {"Just for my team", "From mum"}
    family = [
        m["body"] for m in as_user(gina).get(f"/api/v1/patients/{maya.pk}/messages").json()["items"]
    ]
    assert family == ["From mum"]


def test_a_write_outside_the_circle_is_a_404_whatever_its_body(
    bearer: Any, as_user: Any, otto: Any, maya: Any, olive: Any, active: Any
) -> None:
    """The record is loaded before the body is read: no caller learns anything from a body
    check about a record they cannot reach."""
    family = as_user(otto)
    for body in ("not json", "{}"):
        response = family.post(
            f"/api/v1/patients/{maya.pk}/diary", body, content_type="application/json"
        )
        assert response.status_code == 404
    fdi = Administration.objects.filter(episode=active).first()
    outside = bearer(olive, "read_write").post(
        f"/api/v1/questionnaires/{fdi.pk}/answers", "{", content_type="application/json"
    )
    assert outside.status_code == 404
    assert not DiaryEntry.objects.exists()
