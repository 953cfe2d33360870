"""Bulk export tests: files under a temporary VAR_DIR, a client that kicks off, polls and
downloads with a bearer token, and a clinic's worth of records of every kind."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from backto.access.accounts.models import User
from backto.access.patients import actions as patient_actions
from backto.access.patients.models import Discipline
from backto.capabilities.diary.actions import diary_entry_submit
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.goals.actions import goal_create
from backto.capabilities.messaging.actions import conversation_for, message_send
from tests.conftest import TODAY
from tests.fhir.conftest import token_for
from tests.fhir.scoring import complete

NOTE = "Went to the pool with Ana"
TEEN_WORDS = "Only my team should read this"
FAMILY_WORDS = "Her knee is sore after school"
GOAL_TITLE = "Back to dance class on Fridays"
DIARY = {
    "activity": 2,
    "school": 9,
    "sleep_hours": 7.5,
    "sleep_quality": 2,
    "mood": 1,
    "home_program": 1,
    "activity_note": NOTE,
    "pain": 4,
}


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Any) -> Any:
    settings.VAR_DIR = tmp_path
    return tmp_path


@dataclass
class Reply:
    status: int
    headers: Any
    content: bytes

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.content)

    @property
    def diagnostics(self) -> str:
        return " ".join(i.get("diagnostics", "") for i in self.body.get("issue", []))

    @property
    def expressions(self) -> list[str]:
        return [e for i in self.body.get("issue", []) for e in i.get("expression", [])]

    def lines(self) -> list[dict[str, Any]]:
        """Every NDJSON line, each parsed with the R4B model its resourceType names."""
        found = []
        for text in self.content.decode().splitlines():
            resource = json.loads(text)
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            found.append(resource)
        return found


class Exporter:
    def __init__(self, client: Client, user: User | None, token: str | None = None) -> None:
        self.client = client
        self.token = token if token is not None else token_for(user) if user else ""

    def call(self, url: str, method: str = "get", prefer: bool = True) -> Reply:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if prefer:
            headers["Prefer"] = "respond-async"
        url = url.replace("http://testserver", "")
        response = getattr(self.client, method)(url, headers=headers)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return Reply(response.status_code, response, content)

    def kickoff(
        self, query: str = "", *, path: str = "/fhir/$export", prefer: bool = True
    ) -> Reply:
        return self.call(f"{path}{'?' + query if query else ''}", prefer=prefer)


@pytest.fixture
def exporter(client: Client) -> Any:
    def make(user: User | None, token: str | None = None) -> Exporter:
        return Exporter(client, user, token)

    return make


@pytest.fixture
def record(
    clock: Any, pat: Any, cora: Any, maya: Any, maya_teen: Any, gina: Any, active: Any
) -> dict[str, Any]:
    """Maya's records of every kind: a score, a diary with answers kept from her guardians, a
    goal, a message from her mother and one in her own conversation."""
    score = complete(pat, active, "nrs-pain", {"current": 3}, days_ago=3)
    diary_entry_submit(
        by=maya_teen,
        patient=maya,
        day=TODAY,
        respondent="child",
        answers=DIARY,
        private_fields=["mood", "activity_note"],
        idempotency_key=uuid.uuid4(),
    )
    goal = goal_create(
        by=pat,
        episode=active,
        title=GOAL_TITLE,
        discipline="pt",
        level_minus_2="Misses every class",
        level_minus_1="Goes once a month",
        level_0="Goes most weeks",
        level_plus_1="Goes every week",
        level_plus_2="Dances in the show",
    )
    for by, kind, words in ((gina, "family", FAMILY_WORDS), (maya_teen, "teen", TEEN_WORDS)):
        conversation = conversation_for(patient=maya, kind=kind, by=by)
        message_send(by=by, conversation=conversation, body=words, idempotency_key=uuid.uuid4())
    return {"score": score, "diary": DiaryEntry.objects.get(), "goal": goal, "episode": active}


def join_team(coordinator: Any, episode: Any) -> None:
    patient_actions.care_team_add(
        by=coordinator, episode=episode, clinician=coordinator, discipline=Discipline.COORDINATION
    )


def grow(clinic: Any, cora: Any, pat: Any, children: int, days: int = 5, start: int = 0) -> None:
    """`children` more children, each with a guardian, an episode with `pat` on its team, a goal
    and `days` days of diary by the guardian: records of four types that grow with the clinic."""
    from datetime import timedelta

    from backto.access.accounts.models import UserKind
    from backto.access.patients.models import Guardianship
    from tests.conftest import make_user, years_ago

    for n in range(start, start + children):
        child = patient_actions.patient_register(
            by=cora,
            clinic=clinic,
            legal_name=f"Child Number{n}",
            date_of_birth=years_ago(12),
            sex="male",
        )
        guardian = make_user(clinic, f"guardian{n}", kind=UserKind.GUARDIAN)
        Guardianship.objects.create(guardian=guardian, patient=child, relationship="father")
        episode = patient_actions.episode_open(
            by=cora, patient=child, referral_date=TODAY, referral_reason="Knee pain"
        )
        patient_actions.care_team_add(
            by=cora, episode=episode, clinician=pat, discipline=Discipline.PT, lead=True
        )
        goal_create(
            by=pat,
            episode=episode,
            title="Walk to school",
            discipline="pt",
            level_minus_2="a",
            level_minus_1="b",
            level_0="c",
            level_plus_1="d",
            level_plus_2="e",
        )
        diary_entry_submit(
            by=guardian,
            patient=child,
            day=TODAY,
            respondent="parent",
            answers={k: v for k, v in DIARY.items() if k != "activity_note"},
            idempotency_key=uuid.uuid4(),
        )
        template = DiaryEntry.objects.get(patient=child)
        copies = []
        for back in range(1, days):
            copy = DiaryEntry.objects.get(pk=template.pk)
            copy.pk = None
            copy.day = TODAY - timedelta(days=back)
            copy.idempotency_key = uuid.uuid4()
            copies.append(copy)
        DiaryEntry.objects.bulk_create(copies)
