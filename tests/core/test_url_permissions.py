"""Every address that opens a part of a child's record answers every persona as the permission
table says (docs/permissions.md): 404 outside the person's circle, 403 inside it without the
permission, the page with it.

Generated, not listed: the addresses are walked from the URL configuration (every pattern with a
record id in it, included and namespaced ones too), and the permission each one asks is read from
the audit log rather than written down here. A loader writes the permission it asked into its
`permission_denied` event (`404 goal_edit`), so each persona's request is also made by their twin
at another clinic (same kind, same roles): the twin is always outside the circle, and its 404
names the permission the page asks of people like them. The expected answer then comes from
`in_scope` and `has_permission` alone. A new address with a new kind of record id fails until
RECORD_IDS below says which of Maya's records it takes.

POST: a GET to a POST-only address is a 405 for everyone. Every persona also posts an empty form:
one the table refuses must get the same 404 or 403 and write nothing (no create, update or delete
event: every write audits itself in its own transaction); one the table allows must get past the
refusals (the empty form sent back as bad input, or done). Each test runs in a savepoint rolled
back at its end, so a post that writes leaves nothing behind for the next.
"""

import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from backto.access.accounts.models import Clinic, User, UserKind
from backto.access.accounts.roles import Permission
from backto.access.patients import actions as patients
from backto.access.patients.access import has_permission, has_permission_in_discipline, in_scope
from backto.access.patients.models import Discipline, Episode, Guardianship, Patient
from backto.access.patients.respondents import allowed_respondent
from backto.audit.models import Action, AuditEvent
from backto.capabilities.alerts.actions import safety_alert_raise
from backto.capabilities.careplan.actions import session_record
from backto.capabilities.careplan.models import TherapySession
from backto.capabilities.goals.actions import goal_create
from backto.capabilities.homeprogram.actions import home_program_add, starter_library_load
from backto.capabilities.homeprogram.models import Exercise
from backto.capabilities.intake.actions import intake_save
from backto.capabilities.intake.queries import family_may_answer
from backto.capabilities.learning.actions import learning_page_suggest
from backto.capabilities.measures.actions import mark_due
from backto.capabilities.measures.models import Administration
from backto.capabilities.medicines.actions import medicine_add
from backto.capabilities.messaging.actions import conversation_for, message_send
from backto.capabilities.messaging.models import Message
from backto.capabilities.schoolplan.actions import school_plan_save
from backto.capabilities.wins.actions import win_add
from tests.conftest import TODAY, make_user, years_ago

# --- The addresses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # with its namespace, for reverse()
    pattern: str
    kwargs: tuple[str, ...]

    @property
    def record_ids(self) -> tuple[str, ...]:
        return tuple(k for k in self.kwargs if k.endswith("_id") or k in ("pk", "id"))


def _kwargs(pattern: Any) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:  # path()
        return list(converters)
    return list(pattern.regex.groupindex)  # re_path()


def walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[Route]:
    """Every named pattern under these, with the full route and every keyword its address takes
    (its includes' ones too)."""
    for entry in patterns:
        here = kwargs + tuple(_kwargs(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner, here)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Route(name, prefix + str(entry.pattern), here)


ROUTES = [r for r in walk(get_resolver().url_patterns) if r.record_ids]

# Ids that are not part of a child's record, and where their rules are kept. Accounts and
# invitations answer by who manages accounts (docs/permissions.md, "Accounts"); an exercise of
# the clinic's library opens for anyone signed in at the clinic; a questionnaire's wording page
# for whoever manages the clinic's questionnaires.
NOT_A_CHILDS_RECORD = {
    "user_id": "tests/accounts",
    "invitation_id": "tests/accounts",
    "exercise_id": "tests/homeprogram",
    "instrument_id": "tests/instruments",  # a questionnaire's wording: the clinic admin's
    "timetable_id": "tests/appointments/test_timetable_pages.py",  # a template week: the coordinator's
    "token_id": "tests/apitokens",  # a person's own API token
    "medicine_name_id": "tests/medicines",  # the clinic's list of medicine names
}

# Words of an address that are not ids, for the addresses that also take a record id.
WORDS = {"kind": "family", "day": TODAY.isoformat()}


CHILD_ROUTES = [r for r in ROUTES if not any(k in NOT_A_CHILDS_RECORD for k in r.record_ids)]


# --- Maya's record, one of each kind, and the people around her --------------------------------

# The personas, as in tests/conftest.py, with the two this walk adds: Phil is on Maya's care team
# as her physician, and Sam is another child's teen.
PERSONAS = {
    "pat": "a PT on Maya's care team",
    "olive": "a PT of the clinic, not on Maya's care team",
    "cora": "the program coordinator",
    "ada": "the clinic admin",
    "phil": "the physician, on Maya's care team",
    "gina": "Maya's mother",
    "otto": "another family's father",
    "maya_teen": "Maya herself",
    "sam": "another child's teen account",
    "elsa": "a PT at another clinic",
}


@dataclass
class World:
    maya: Patient
    users: dict[str, User]
    twins: dict[tuple[str, tuple[str, ...]], User]  # (kind, roles) -> the same at another clinic
    ids: dict[str, int]
    clients: dict[int, Client]  # by user id, each signed in once for the module

    def twin(self, user: User) -> User:
        return self.twins[_signature(user)]


def _signature(user: User) -> tuple[str, tuple[str, ...]]:
    return user.kind, tuple(sorted(r.role for r in user.staff_roles.all()))


def _build() -> World:
    clinic = Clinic.objects.create(name="Lakeside Pain Program", slug="lakeside")
    other = Clinic.objects.create(name="Hilltop Children's", slug="hilltop")
    staff = {
        "pat": ("physical_therapist",),
        "olive": ("physical_therapist",),
        "cora": ("coordinator",),
        "ada": ("clinic_admin",),
        "phil": ("physician",),
    }
    users = {name: make_user(clinic, name, roles=roles) for name, roles in staff.items()}
    cora, pat = users["cora"], users["pat"]
    maya = patients.patient_register(
        by=cora, clinic=clinic, legal_name="Maya Lindqvist", date_of_birth=years_ago(13)
    )
    leo = patients.patient_register(
        by=cora, clinic=clinic, legal_name="Leo Okafor", date_of_birth=years_ago(10)
    )
    sami = patients.patient_register(
        by=cora, clinic=clinic, legal_name="Sami Berg", date_of_birth=years_ago(14)
    )
    for name, child, relationship in (("gina", maya, "mother"), ("otto", leo, "father")):
        users[name] = make_user(clinic, name, kind=UserKind.GUARDIAN)
        Guardianship.objects.create(guardian=users[name], patient=child, relationship=relationship)
    for name, child in (("maya_teen", maya), ("sam", sami)):
        users[name] = make_user(clinic, name, kind=UserKind.TEEN)
        child.teen_account = users[name]
        child.save()
    users["elsa"] = make_user(other, "elsa", roles=("physical_therapist",))

    episode = patients.episode_open(
        by=cora, patient=maya, referral_date=TODAY, referral_reason="Foot pain"
    )
    member = patients.care_team_add(
        by=cora, episode=episode, clinician=pat, discipline=Discipline.PT, lead=True
    )
    patients.care_team_add(
        by=cora, episode=episode, clinician=users["phil"], discipline=Discipline.MEDICINE
    )
    patients.episode_transition(by=pat, episode=episode, target="intake")
    intake_save(by=pat, episode=episode, history={}, screening={}, red_flags={})
    patients.episode_transition(by=pat, episode=episode, target="active")
    mark_due(TODAY)
    goal = goal_create(
        by=pat,
        episode=episode,
        title="Walk to class with my friends",
        discipline="pt",
        steps=["Walk to the mailbox"],
        level_minus_2="Uses the elevator",
        level_minus_1="One class a day",
        level_0="Every class",
        level_plus_1="And the club",
        level_plus_2="Walks to school too",
    )
    session = session_record(
        by=pat,
        episode=episode,
        date=TODAY - timedelta(days=1),
        discipline="pt",
        minutes=45,
        attended=True,
        subjective="Walked to school",
    )
    with transaction.atomic():
        alert = safety_alert_raise(
            by=users["maya_teen"],
            patient=maya,
            episode=episode,
            source="diary",
            source_id=1,
            respondent="child",
            items=["How I felt"],
        )
    assert alert is not None
    win = win_add(by=users["gina"], patient=maya, text="Went to the park", happened_on=TODAY)
    medicine = medicine_add(by=users["gina"], patient=maya, name="Melatonin", purpose="Sleep")
    school_plan_save(
        by=pat,
        episode=episode,
        attendance_plan="Half days for two weeks",
        accommodations="Lift pass",
        share_goals=True,
    )
    starter_library_load(clinic=clinic)
    item = home_program_add(
        by=pat,
        episode=episode,
        exercise=Exercise.objects.get(clinic=clinic, name="Daily walk"),
        minutes=10,
        start_date=TODAY,
        times_per_day=1,
        days_per_week=7,
    )
    suggestion = learning_page_suggest(by=pat, patient=maya, audience="parents", slug="pain-cycle")
    administration = Administration.objects.filter(episode=episode).order_by("pk").first()
    assert administration is not None, "the active episode has its baseline questionnaires due"
    conversation = conversation_for(patient=maya, kind="family")
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, "PNG")
    message, _ = message_send(
        by=users["gina"],
        conversation=conversation,
        body="Her ankle is swollen today",
        photo=SimpleUploadedFile("ankle.png", png.getvalue()),
        idempotency_key=uuid.uuid4(),
    )

    twins = {}
    for user in users.values():
        signature = _signature(user)
        if user.clinic_id == other.pk:
            twins[signature] = user
    for user in users.values():
        signature = _signature(user)
        if signature not in twins:
            twins[signature] = make_user(
                other, f"twin-{user.username}", kind=user.kind, roles=signature[1]
            )
    clients = {}
    for user in [*users.values(), *twins.values()]:
        clients[user.pk] = Client()
        clients[user.pk].force_login(
            user, backend="backto.access.accounts.backends.UsernameOrEmailBackend"
        )
    return World(
        maya=maya,
        users=users,
        twins=twins,
        clients=clients,
        ids={
            "patient_id": maya.pk,
            "episode_id": episode.pk,
            "member_id": member.pk,
            "goal_id": goal.pk,
            "step_id": goal.steps.get().pk,
            "session_id": session.pk,
            "alert_id": alert.pk,
            "administration_id": administration.pk,
            "win_id": win.pk,
            "assignment_id": suggestion.pk,
            "conversation_id": conversation.pk,
            "message_id": message.pk,
            "item_id": item.pk,
            "medicine_id": medicine.pk,
        },
    )


# How each kind of record id is found among Maya's records: the keys of World.ids.
RECORD_IDS = {
    "patient_id",
    "episode_id",
    "member_id",
    "goal_id",
    "step_id",
    "session_id",
    "alert_id",
    "administration_id",
    "win_id",
    "assignment_id",
    "conversation_id",
    "message_id",
    "item_id",
    "medicine_id",
}


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """Built once for the module, inside a transaction rolled back at its end; each test runs
    in a savepoint of it (the `db` fixture), so its requests' writes go too. The message's photo
    is written to a folder of the test's own."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with media, django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


# --- Asking, and reading what the app says it asked ---------------------------------------------

LOADER_REFUSAL = re.compile(r"^(403|404) ([a-z_]+)$")
PERMISSIONS = {p.value for p in Permission}
WRITES = (Action.CREATE, Action.UPDATE, Action.DELETE)


@dataclass(frozen=True)
class Answer:
    status: int
    asked: Permission | None  # the permission a loader refused, from its audit event
    events: tuple[tuple[str, str, str], ...]  # (action, object_type, detail) written
    children: frozenset[int]  # the patient ids those events name
    location: str = ""

    @property
    def wrote(self) -> bool:
        return any(action in WRITES for action, _, _ in self.events)


def ask(client: Client, method: str, url: str) -> Answer:
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if method == "PUT":  # the JSON API's one-record writes: the body is read after the loader
        response = client.put(url, "{}", content_type="application/json")
    else:
        response = client.get(url) if method == "GET" else client.post(url, {})
    rows = list(
        AuditEvent.objects.filter(pk__gt=last)
        .exclude(action=Action.LOGIN)
        .order_by("pk")
        .values_list("action", "object_type", "detail", "patient_id")
    )
    events = tuple(row[:3] for row in rows)
    children = frozenset(row[3] for row in rows if row[3] is not None)
    asked = None
    for action, _, detail in events:
        match = LOADER_REFUSAL.match(detail)
        if action == Action.PERMISSION_DENIED and match and match[2] in PERMISSIONS:
            asked = Permission(match[2])
    return Answer(response.status_code, asked, events, children, response.get("Location", ""))


# The twin's answers do not change within a run: asked once per address, method and signature.
_TWIN_ANSWERS: dict[tuple[str, str, tuple[str, tuple[str, ...]]], Answer] = {}


def ask_twin(world: World, user: User, method: str, route: Route, url: str) -> Answer:
    key = (route.name, method, _signature(user))
    if key not in _TWIN_ANSWERS:
        _TWIN_ANSWERS[key] = ask(world.clients[world.twin(user).pk], method, url)
    return _TWIN_ANSWERS[key]


def expected_status(
    world: World, route: Route, user: User, patient: Patient, permission: Permission
) -> str:
    """What the table, the circle and the record's own rule say: "404", "403" or "ok"."""
    if not in_scope(user, patient):
        return "404"
    if not has_permission(user, permission, patient):
        return "403"
    rule = RECORD_RULES.get(route.name)
    if rule is not None and not rule(world, user, permission):
        return "403"
    return "ok"


def got(answer: Answer, method: str) -> str:
    if answer.status in (403, 404, 405) or answer.status >= 500:
        return str(answer.status)
    if method in ("POST", "PUT"):
        return "ok"  # past the loader: the empty form refused as bad input, or done
    if 200 <= answer.status < 300:
        return "ok"
    if 300 <= answer.status < 400 and not answer.location.startswith(
        (reverse("login"), reverse("two_factor_setup"), reverse("two_factor_verify"))
    ):
        return "ok"  # a page that redirects by design (an action done, a step further)
    return str(answer.status)


# --- Rules on one record: a permission the table gives, narrowed on this record --------------

# (address name) -> the rule, asked of the app's own functions with the permission the page
# asked: the page refuses with a 403 that names that permission when the rule says no
# (docs/permissions.md, "Rules on one record").
RecordRule = Callable[["World", User, Permission], bool]
RECORD_RULES: dict[str, RecordRule] = {
    # A family answers the intake from home before the program starts (Maya's has started).
    "intake": lambda world, user, asked: (
        asked != Permission.INTAKE_FAMILY
        or family_may_answer(user, Episode.objects.get(pk=world.ids["episode_id"]))
    ),
    # A family member answers only the questionnaires of their own respondent (the page, and
    # the JSON API's questionnaire and its answers).
    **dict.fromkeys(
        ("administration", "api:api_questionnaire", "api:api_questionnaire_answer"),
        lambda world, user, asked: (
            asked != Permission.MEASURE_ANSWER
            or allowed_respondent(
                user,
                world.maya,
                Administration.objects.get(pk=world.ids["administration_id"]).respondent,
            )
        ),
    ),
    # Only its author withdraws a message.
    "message_withdraw": lambda world, user, asked: (
        Message.objects.get(pk=world.ids["message_id"]).author_id == user.pk
    ),
    # Only a clinician of the note's discipline signs it.
    "session_sign": lambda world, user, asked: has_permission_in_discipline(
        user,
        asked,
        world.maya,
        TherapySession.objects.get(pk=world.ids["session_id"]).discipline,
    ),
}

# --- The findings: where the app answers otherwise than the table ------------------------------

# (address name, persona) -> why. Each one is a rule the table does not show yet
# (issue 17: user-kind rules become permissions); strict, so the day it is fixed this fails and
# the line goes.
FINDINGS: dict[tuple[str, str], str] = {}


def cases() -> Iterator[Any]:
    for route in CHILD_ROUTES:
        for persona in PERSONAS:
            reason = FINDINGS.get((route.name, persona))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            yield pytest.param(route, persona, id=f"{route.name}-{persona}", marks=marks)


# --- The tests ----------------------------------------------------------------------------------


def test_every_record_id_in_an_address_is_one_this_walk_knows() -> None:
    unnamed = [route.pattern for route in ROUTES if not route.name]
    assert not unnamed, f"Name these addresses, so that they can be walked: {unnamed}"
    unknown = {
        (route.name, kwarg)
        for route in ROUTES
        for kwarg in route.record_ids
        if kwarg not in RECORD_IDS and kwarg not in NOT_A_CHILDS_RECORD
    }
    assert not unknown, (
        "An address takes a kind of record id this walk cannot fill: add one of Maya's records "
        f"of that kind to RECORD_IDS and World.ids (or to NOT_A_CHILDS_RECORD): {sorted(unknown)}"
    )
    words = {
        (route.name, kwarg)
        for route in CHILD_ROUTES
        for kwarg in route.kwargs
        if kwarg not in route.record_ids and kwarg not in WORDS
    }
    assert not words, f"Give these address words a value in WORDS: {sorted(words)}"


def test_the_walk_reaches_every_kind_of_record() -> None:
    walked = {kwarg for route in CHILD_ROUTES for kwarg in route.record_ids}
    assert walked == RECORD_IDS, "an id kind is no longer in any address: drop it from RECORD_IDS"


@pytest.mark.parametrize(("route", "persona"), list(cases()))
def test_the_address_answers_as_the_table_says(
    world: World, db: Any, route: Route, persona: str
) -> None:
    if any(k not in world.ids for k in route.record_ids):
        pytest.fail(f"{route.name}: no record of Maya's for {route.record_ids}")
    kwargs = {k: world.ids[k] if k in world.ids else WORDS[k] for k in route.kwargs}
    url = reverse(route.name, kwargs=kwargs)
    user = world.users[persona]
    problems = []

    get = ask(world.clients[user.pk], "GET", url)
    twin_get = ask_twin(world, user, "GET", route, url)
    post_only = twin_get.status == 405
    if post_only:
        if get.status != 405:
            problems.append(f"GET: expected 405 (the address takes POST only), got {get.status}")
    else:
        problems += check(world, route, user, "GET", get, twin_get)

    # The write: a POST, or a PUT where the address takes no POST.
    for method in ("POST", "PUT"):
        twin_write = ask_twin(world, user, method, route, url)
        if twin_write.status != 405:
            problems += check_write(world, route, user, method, url, twin_write)
            break
    if not get.children <= {world.maya.pk}:  # every id in the address is one of Maya's records
        problems.append(f"the events name other children: {sorted(get.children)}")
    assert not problems, f"{route.name} as {persona} ({PERSONAS[persona]}), {url}:\n" + "\n".join(
        problems
    )


def check(
    world: World, route: Route, user: User, method: str, answer: Answer, twin: Answer
) -> list[str]:
    if twin.asked is None or twin.status != 404:
        return [
            f"{method}: someone at another clinic got {twin.status} and no loader's 404 "
            f"naming a permission (events {twin.events})"
        ]
    # The persona's own loader may have asked something more (a second record loaded): the
    # permission it names is the one refused.
    permission = answer.asked or twin.asked
    expected = expected_status(world, route, user, world.maya, permission)
    if got(answer, method) != expected:
        return [
            f"{method}: expected {expected} (permission {permission.value}, "
            f"in scope {in_scope(user, world.maya)}), got {answer.status} "
            f"(events {answer.events})"
        ]
    return []


def check_write(
    world: World, route: Route, user: User, method: str, url: str, twin: Answer
) -> list[str]:
    if twin.asked is None or twin.status != 404:
        return [
            f"{method}: someone at another clinic got {twin.status} and no loader's 404 naming a "
            f"permission (events {twin.events})"
        ]
    write = ask(world.clients[user.pk], method, url)
    problems = check(world, route, user, method, write, twin)
    asked = write.asked or twin.asked
    if write.wrote and expected_status(world, route, user, world.maya, asked) != "ok":
        problems.append(f"{method}: refused, yet it wrote {write.events}")
    return problems
