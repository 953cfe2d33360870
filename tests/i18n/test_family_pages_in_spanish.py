"""A family that reads Spanish finds no English on its pages (issue 22).

A catalogue test can only see the strings someone marked; this one reads the pages. A Spanish
guardian and a Spanish teen open every page a family uses, with a record full of things to show
(a goal, a step, a win, a diary day, a questionnaire due, a message, an appointment, an exercise),
and the visible text (and the words a screen reader says: aria-label, alt, title, placeholder) is
searched for common English words that are not also Spanish. What people wrote is Spanish in this
record; what is deliberately shown in English (a fallback the clinic has not translated) sits in an
element with lang="en" and is skipped.
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backto.access.accounts.models import Clinic, User, UserKind
from backto.access.patients import actions as patients
from backto.access.patients.models import Discipline, Guardianship
from backto.capabilities.appointments.actions import appointment_book
from backto.capabilities.goals.actions import goal_create
from backto.capabilities.homeprogram import actions as home_program
from backto.capabilities.homeprogram.models import Exercise
from backto.capabilities.intake.actions import intake_save
from backto.capabilities.measures.actions import mark_due
from backto.capabilities.measures.models import Administration
from backto.capabilities.messaging.actions import conversation_for, message_send
from backto.capabilities.wins.actions import win_add
from tests.conftest import TODAY, make_user, years_ago

# Common English words that are not Spanish words too ("a", "no", "me", "con" are both).
ENGLISH = frozenset(
    [
        "the",
        "and",
        "your",
        "you",
        "with",
        "what",
        "today",
        "yesterday",
        "tomorrow",
        "day",
        "days",
        "save",
        "back",
        "next",
        "this",
        "that",
        "these",
        "how",
        "when",
        "where",
        "who",
        "why",
        "home",
        "help",
        "sign",
        "out",
        "more",
        "week",
        "diary",
        "exercises",
        "exercise",
        "goal",
        "goals",
        "message",
        "messages",
        "pain",
        "sleep",
        "school",
        "program",
        "are",
        "is",
        "was",
        "were",
        "will",
        "can",
        "have",
        "has",
        "our",
        "my",
        "of",
        "to",
        "for",
        "from",
        "not",
        "yes",
        "about",
        "here",
        "there",
        "their",
        "they",
        "we",
        "it",
        "if",
        "or",
        "at",
        "on",
        "by",
        "be",
        "all",
        "new",
        "open",
        "see",
        "show",
        "done",
        "none",
        "every",
        "each",
        "time",
        "read",
        "write",
        "send",
        "left",
        "right",
        "good",
        "great",
        "well",
        "nothing",
        "something",
        "please",
        "thank",
        "thanks",
        "team",
        "care",
        "family",
        "child",
        "parent",
        "questionnaire",
        "questionnaires",
        "answer",
        "answers",
        "question",
        "questions",
        "start",
        "started",
        "finish",
        "later",
        "skip",
        "step",
        "steps",
        "win",
        "wins",
        "mood",
        "report",
        "reports",
        "progress",
        "learn",
        "page",
        "pages",
        "account",
        "password",
        "email",
        "settings",
        "appointment",
        "appointments",
        "calendar",
        "reminder",
        "reminders",
        "change",
        "changed",
        "saved",
        "edit",
        "delete",
        "remove",
        "add",
    ]
)
ALLOWED = frozenset({"backto"})  # the product's name
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+")
SPOKEN_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")


class VisibleText(HTMLParser):
    """The page's text and spoken attributes, outside <script>, <style> and lang="en" parts."""

    VOID = frozenset(
        [
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        ]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden: script, style or lang="en")
        self.parts: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = tag in ("script", "style", "template") or (values.get("lang") or "").startswith(
            "en"
        )
        if not self.hidden and not hidden:
            self.parts.extend(values[name] or "" for name in SPOKEN_ATTRIBUTES if name in values)
            if tag == "input" and values.get("type") in ("submit", "button"):
                self.parts.append(values.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def english_left(html: str) -> list[str]:
    """Each bit of text with an English word in it."""
    parser = VisibleText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        words = {word.lower() for word in WORD.findall(part)}
        if (words & ENGLISH) - ALLOWED:
            found.append(" ".join(part.split())[:100])
    return found


def test_the_detector_finds_english_and_passes_spanish():
    page = """<html lang="es"><body><h1>Tu diario</h1><p>Save my day</p>
    <button aria-label="Open the menu">☰</button><script>var today = 1;</script>
    <p lang="en">Daily walk</p><img alt="Una cara feliz" src="x.svg"><br>
    <p>No pasa nada si faltó un día.</p><input type="submit" value="Next step"></body></html>"""
    assert english_left(page) == ["Save my day", "Open the menu", "Next step"]


# --- The record ----------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, int]


def _build() -> World:
    clinic = Clinic.objects.create(name="Programa Lakeside", slug="lakeside", language="en")
    cora = make_user(clinic, "cora", roles=("coordinator",))
    pat = make_user(clinic, "pat", roles=("physical_therapist",))
    maya = patients.patient_register(
        by=cora,
        clinic=clinic,
        legal_name="Maya Lindqvist",
        preferred_name="Maya",
        date_of_birth=years_ago(13),
        languages="Spanish",
        family_language="es",
    )
    gina = make_user(clinic, "gina", kind=UserKind.GUARDIAN)
    Guardianship.objects.create(guardian=gina, patient=maya, relationship="mother")
    teen = make_user(clinic, "maya_teen", kind=UserKind.TEEN)
    maya.teen_account = teen
    maya.save()
    for user in (gina, teen):
        user.language = "es"
        user.display_name = {"gina": "Gina", "maya_teen": "Maya"}[user.username]
        user.save()

    episode = patients.episode_open(
        by=cora, patient=maya, referral_date=TODAY, referral_reason="Dolor de pie"
    )
    patients.care_team_add(
        by=cora, episode=episode, clinician=pat, discipline=Discipline.PT, lead=True
    )
    patients.episode_transition(by=pat, episode=episode, target="intake")
    intake_save(by=pat, episode=episode, history={}, screening={}, red_flags={})
    patients.episode_transition(by=pat, episode=episode, target="active")
    mark_due(TODAY)
    goal = goal_create(
        by=pat,
        episode=episode,
        title="Caminar a clase con mis amigas",
        discipline="pt",
        steps=["Caminar hasta el buzón"],
        level_minus_2="Usa el elevador",
        level_minus_1="Una clase al día",
        level_0="Todas las clases",
        level_plus_1="Y el club",
        level_plus_2="También camina a la escuela",
    )
    win = win_add(by=gina, patient=maya, text="Fuimos al parque", happened_on=TODAY)
    home_program.starter_library_load(clinic=clinic)
    home_program.home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(clinic=clinic, name="Daily walk"),
        minutes=10,
        start_date=TODAY - timedelta(days=7),
        times_per_day=1,
        days_per_week=7,
    )
    conversation = conversation_for(patient=maya, kind="family")
    message_send(
        by=gina,
        conversation=conversation,
        body="Hoy le duele menos el tobillo",
        idempotency_key=uuid.uuid4(),
    )
    message_send(
        by=pat,
        conversation=conversation,
        body="¡Qué buena noticia! Nos vemos el jueves.",
        idempotency_key=uuid.uuid4(),
    )
    appointment_book(
        by=pat,
        patient=maya,
        kind="pt",
        starts_at=timezone.make_aware(datetime.combine(TODAY + timedelta(days=2), time(10))),
        minutes=60,
        place="Gimnasio de terapia",
    )
    parent_questionnaire = (
        Administration.objects.filter(episode=episode, respondent="parent").order_by("pk").first()
    )
    child_questionnaire = (
        Administration.objects.filter(episode=episode, respondent="child").order_by("pk").first()
    )
    assert parent_questionnaire and child_questionnaire, "baseline questionnaires are due"
    return World(
        users={"gina": gina, "maya_teen": teen},
        ids={
            "patient_id": maya.pk,
            "episode_id": episode.pk,
            "goal_id": goal.pk,
            "win_id": win.pk,
            "conversation_id": conversation.pk,
            "parent_questionnaire": parent_questionnaire.pk,
            "child_questionnaire": child_questionnaire.pk,
        },
    )


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _pages(ids: dict[str, int], questionnaire: str) -> list[tuple[str, dict[str, Any]]]:
    patient, episode = {"patient_id": ids["patient_id"]}, {"episode_id": ids["episode_id"]}
    return [
        ("family_home", {}),
        ("diary_today", patient),
        ("reminders", {}),
        ("exercises_today", episode),
        ("goal_list", episode),
        ("goal_detail", {"goal_id": ids["goal_id"]}),
        ("win_list", patient),
        ("administration", {"administration_id": ids[questionnaire]}),
        ("pain_map_mark", episode),
        ("messages_family", {}),
        ("conversation", {"conversation_id": ids["conversation_id"]}),
        ("family_week", {}),
        ("calendar_feed", {}),
        ("progress", episode),
        ("learning_index", {}),
        ("learning_suggestions", patient),
        ("learning_page", {"audience": "parents", "slug": "pain-cycle"}),
        ("learning_page", {"audience": "kids", "slug": "pain-cycle"}),
        ("explainer", {}),
        ("my_account", {}),
        ("offline", {}),
    ] + (
        # A guardian reads who opened the record; a teen's account has no access log.
        [("access_log", patient)] if questionnaire == "parent_questionnaire" else []
    )


PERSONAS = {"gina": "parent_questionnaire", "maya_teen": "child_questionnaire"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_spanish_family_reads_every_page_in_spanish(world: World, persona: str, db: Any):
    client = Client()
    client.force_login(
        world.users[persona], backend="backto.access.accounts.backends.UsernameOrEmailBackend"
    )
    left = {}
    for name, kwargs in _pages(world.ids, PERSONAS[persona]):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        html = response.content.decode()
        assert '<html lang="es"' in html, url
        english = english_left(html)
        if english:
            left[url] = english
    assert left == {}


@pytest.mark.parametrize("name", ["login", "password_reset"])
def test_the_sign_in_pages_follow_the_browsers_language(client: Client, name: str, db: Any):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert english_left(html) == []
    english = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en"' in english
