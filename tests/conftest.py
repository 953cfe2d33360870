"""Test personas, as in STYLE.md: a PT on the care team (Pat), a PT off it (Olive), a PT at
another clinic (Elsa), a physician (Phil), a coordinator (Cora), a clinic admin (Ada), a guardian
(Gina, mother of Maya), another family's guardian (Otto), and Maya's own teen account (Maya)."""

import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from backto.access.accounts.models import Clinic, StaffRole, User, UserKind
from backto.access.patients import actions
from backto.access.patients.models import Discipline, Episode, Guardianship, Patient
from backto.audit.models import AuditEvent
from backto.capabilities.measures.actions import mark_due

PASSWORD = "correct horse battery staple"

# Property tests judge results, not speed: a busy machine (eight test workers, or CI's) made a
# 200 ms example deadline fail tests whose code was right. Speed is measured under bench/.
hypothesis_settings.register_profile("backto", deadline=None)
hypothesis_settings.load_profile("backto")

# No test depends on the real date: the whole suite runs with the clock pinned to this moment in
# the clinic's time zone (then ticking), before any test module is imported. `make test` runs the
# SQLite suite again at other moments: a month and year end, a daylight-saving change, 29 February
# (scripts/test).
DEFAULT_TEST_NOW = "2026-06-16T10:30"


ZONE = ZoneInfo(os.environ.get("BACKTO_TIME_ZONE", "America/New_York"))


def _pinned_moment() -> datetime:
    """The moment the suite runs at, from BACKTO_TEST_NOW (an ISO date and time)."""
    moment = datetime.fromisoformat(os.environ.get("BACKTO_TEST_NOW", DEFAULT_TEST_NOW))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZONE)


PINNED_AT = _pinned_moment()
# The clinic's day at that moment: what tests write for "today", rather than asking the machine
# (whose date is UTC's, already tomorrow at 23:40 in New York).
TODAY = PINNED_AT.astimezone(ZONE).date()


def pytest_configure(config: pytest.Config) -> None:
    traveller = time_machine.travel(PINNED_AT, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header() -> str:
    return (
        f"clock pinned to {os.environ.get('BACKTO_TEST_NOW', DEFAULT_TEST_NOW)} (BACKTO_TEST_NOW)"
    )


@pytest.fixture(autouse=True)
def english_to_start() -> Iterator[None]:
    """Each test starts in English, whatever language a request of the test before chose (a
    browser's Accept-Language is kept by the thread, as in Django)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def clock(time_machine: Any) -> Any:
    """The suite's pinned moment, held still for this test; `clock.shift(timedelta(...))` moves it
    on (and back). Tests that let time pass take this, instead of travelling from the clock."""
    time_machine.move_to(PINNED_AT, tick=False)
    return time_machine


def make_user(
    clinic: Clinic,
    username: str,
    kind: str = UserKind.STAFF,
    roles: tuple[str, ...] = (),
    **extra: Any,
) -> User:
    user = User(
        clinic=clinic,
        username=username,
        kind=kind,
        email=extra.pop("email", f"{username}@example.org"),
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    for role in roles:
        StaffRole.objects.create(user=user, role=role)
    return user


def spanish(user: User) -> User:
    """The person reads BackTo in Spanish from now on (their account's language)."""
    user.language = "es"
    user.save(update_fields=["language"])
    return user


def years_ago(years: int) -> date:
    """A birthday about `years` years and a month ago, on any day of the calendar (29 February
    included)."""
    today = TODAY
    return date(today.year - years, today.month, min(today.day, 28)) - timedelta(days=30)


@pytest.fixture
def clinic(db: Any) -> Clinic:
    return Clinic.objects.create(name="Lakeside Pain Program", slug="lakeside")


def install_test_wording(clinic: Clinic, *instrument_ids: str) -> None:
    """Install made-up wording ("Test wording of fdi-child item 3") for these licensed
    instruments, or for every instrument without shipped text, as a licensed clinic would."""
    from backto.capabilities.instruments.actions import instrument_pack_install
    from backto.clinical.instrument_packs import InstrumentPack as PackContent
    from backto.clinical.instrument_registry import instrument_registry

    for instrument in instrument_registry():
        if instrument.text_available or (instrument_ids and instrument.id not in instrument_ids):
            continue
        pack = PackContent(
            instrument=instrument.id,
            version=instrument.version,
            licensed_to="the test clinic",
            items={
                i.linkId: f"Test wording of {instrument.id} item {i.linkId}"
                for i in instrument.items
            },
        )
        instrument_pack_install(clinic=clinic, pack=pack, source_name="test", username="tests")


@pytest.fixture
def worded(clinic: Clinic) -> Clinic:
    """The clinic with (made-up) wording installed for every licensed instrument."""
    install_test_wording(clinic)
    return clinic


@pytest.fixture
def other_clinic(db: Any) -> Clinic:
    return Clinic.objects.create(name="Hilltop Children's", slug="hilltop")


@pytest.fixture
def pat(clinic: Clinic) -> User:
    return make_user(clinic, "pat", roles=("physical_therapist",), display_name="Pat PT")


@pytest.fixture
def olive(clinic: Clinic) -> User:
    return make_user(clinic, "olive", roles=("physical_therapist",), display_name="Olive PT")


@pytest.fixture
def elsa(other_clinic: Clinic) -> User:
    return make_user(other_clinic, "elsa", roles=("physical_therapist",))


@pytest.fixture
def phil(clinic: Clinic) -> User:
    return make_user(clinic, "phil", roles=("physician",))


@pytest.fixture
def cora(clinic: Clinic) -> User:
    return make_user(clinic, "cora", roles=("coordinator",), display_name="Cora Coordinator")


@pytest.fixture
def ada(clinic: Clinic) -> User:
    return make_user(clinic, "ada", roles=("clinic_admin",), display_name="Ada Admin")


@pytest.fixture
def maya(clinic: Clinic, cora: User) -> Patient:
    return actions.patient_register(
        by=cora,
        clinic=clinic,
        legal_name="Maya Rose Lindqvist",
        preferred_name="Maya",
        date_of_birth=years_ago(13),
        sex="female",
        school="Lakeside Middle",
        grade="8",
        languages="English, Swedish",
    )


@pytest.fixture
def episode(maya: Patient, cora: User, pat: User) -> Episode:
    episode = actions.episode_open(
        by=cora,
        patient=maya,
        referral_date=TODAY,
        referral_reason="Right foot pain for 5 months",
        painful_region_count=2,
    )
    actions.care_team_add(
        by=cora, episode=episode, clinician=pat, discipline=Discipline.PT, lead=True
    )
    return episode


@pytest.fixture
def gina(clinic: Clinic, maya: Patient) -> User:
    user = make_user(clinic, "gina", kind=UserKind.GUARDIAN, display_name="Gina Lindqvist")
    Guardianship.objects.create(guardian=user, patient=maya, relationship="mother")
    return user


@pytest.fixture
def leo(clinic: Clinic, cora: User) -> Patient:
    return actions.patient_register(
        by=cora, clinic=clinic, legal_name="Leo Okafor", date_of_birth=years_ago(10), sex="male"
    )


@pytest.fixture
def otto(clinic: Clinic, leo: Patient) -> User:
    user = make_user(clinic, "otto", kind=UserKind.GUARDIAN, display_name="Otto Okafor")
    Guardianship.objects.create(guardian=user, patient=leo, relationship="father")
    return user


@pytest.fixture
def maya_teen(clinic: Clinic, maya: Patient) -> User:
    user = make_user(clinic, "maya13", kind=UserKind.TEEN, display_name="Maya")
    maya.teen_account = user
    maya.save()
    return user


@pytest.fixture
def as_user(client: Client) -> Any:
    """as_user(user) -> a test client signed in as that user."""

    def sign_in(user: User) -> Client:
        client.force_login(user, backend="backto.access.accounts.backends.UsernameOrEmailBackend")
        return client

    return sign_in


def audited(action: str, **filters: Any) -> bool:
    return AuditEvent.objects.filter(action=action, **filters).exists()


def start_program(episode: Episode, by: Any) -> Episode:
    """The episode's program started today: its baseline questionnaires due."""
    actions.episode_transition(by=by, episode=episode, target="intake")
    actions.episode_transition(by=by, episode=episode, target="active")
    mark_due(TODAY)
    episode.refresh_from_db()
    return episode


@pytest.fixture
def active(episode: Episode, pat: Any) -> Episode:
    """Maya's episode with the program started today: baseline questionnaires due."""
    return start_program(episode, pat)


@pytest.fixture
def walk_item(pat: User, episode: Episode, clinic: Clinic) -> Any:
    """A daily walk, 10 minutes, on Maya's home program since a week ago."""
    from backto.capabilities.homeprogram import actions as home_program
    from backto.capabilities.homeprogram.models import Exercise

    home_program.starter_library_load(clinic=clinic)
    return home_program.home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(clinic=clinic, name="Daily walk"),
        minutes=10,
        start_date=TODAY - timedelta(days=7),
        times_per_day=1,
        days_per_week=7,
    )
