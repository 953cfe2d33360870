"""The caseload's half of the oracle (`bench.oracle`): each child of the viewer's caseload read
from the raw rows, one child at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import mean
from typing import Any

from django.utils import timezone

from backto.access.accounts.roles import Permission
from backto.access.patients.access import patients_for
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import CareTeamMember, Episode, EpisodeTransition
from backto.access.patients.program import days_in_program, program_end_day
from backto.access.patients.respondents import Respondent
from backto.capabilities.alerts.dashboard import SAFETY
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.careplan.models import Discharge
from backto.capabilities.diary.dashboard import FUNCTION_FALLING, NO_DIARY, NO_DIARY_DAYS
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.exam.dashboard import ALLODYNIA_GROWING
from backto.capabilities.measures.dashboard import CATASTROPHIZING_FLAGS, NO_IMPROVEMENT
from backto.capabilities.measures.models import OVERDUE_AFTER_DAYS, Administration, AdminState
from backto.capabilities.measures.queries import FamilyWording
from backto.capabilities.messaging.dashboard import MESSAGE_WAITING
from backto.capabilities.messaging.models import Conversation, ConversationKind, Message
from backto.clinical import caseload as rules
from backto.clinical.instrument_registry import instrument_registry
from backto.core.dashboard import dashboards
from backto.readers.dashboards.queries import PAGE_SIZE, caseload
from bench.oracle_rows import (
    ADMIN_FIELDS,
    Scored,
    allodynia_exams,
    first_and_latest,
    in_course_order,
    scored_again,
)


@dataclass
class ChildExpected:
    episode_id: int | None
    days_in_program: int | None
    program_start: date | None
    program_end: date | None
    last_diary: date | None
    due: int
    overdue: int
    fdi: tuple[Decimal, ...]
    flags: list[str]


def _fast_caseload_rows(viewer: Any, everyone: bool, limit: int | None) -> tuple[list[Any], int]:
    """The fast caseload's rows: every page, or with `limit` about that many children from pages
    spread over the list. Returns (rows, total)."""
    first = caseload(viewer, everyone=everyone, page=1)
    wanted = first.pages if limit is None else max(1, -(-limit // PAGE_SIZE))
    if wanted >= first.pages:
        pages = list(range(1, first.pages + 1))
    else:
        step = (first.pages - 1) / max(1, wanted - 1)
        pages = sorted({1 + round(n * step) for n in range(wanted)})
    rows = list(first.rows)
    for page in pages:
        if page != 1:
            rows.extend(caseload(viewer, everyone=everyone, page=page).rows)
    return rows, first.total


def caseload_mismatches(
    viewer: Any,
    today: date,
    *,
    everyone: bool = True,
    limit: int | None = None,
    using: str = "default",
) -> list[str]:
    """Every child's flags, questionnaires due and overdue, last diary day, FDI baseline and
    latest, latest episode and days in the program on the viewer's caseload (the whole clinic with
    `everyone`, else their care teams'), from the fast `caseload` against this module's reading
    of the raw rows. `limit`: check about that many children (whole pages spread over the list);
    the caseload's size is checked anyway. `today` must be the clinic's day now: the fast caseload
    reads the clock."""
    if timezone.localdate() != today:
        return [f"today {today} is not the clinic's day now ({timezone.localdate()})"]
    problems: list[str] = []
    rows, total = _fast_caseload_rows(viewer, everyone, limit)
    members = patients_for(viewer).using(using)
    if not everyone:
        on_teams = CareTeamMember.objects.using(using).filter(clinician_id=viewer.pk)
        members = members.filter(pk__in=on_teams.values("episode__patient_id"))
    expected_total = members.count()
    if total != expected_total:
        problems.append(
            f"caseload of user {viewer.pk}: {total} children, expected {expected_total}"
        )
    wording = FamilyWording(viewer.clinic)
    for row in rows:
        pid = row.patient_id
        want = _child_expected(pid, viewer, today, wording, using, problems)
        got = row.signals
        fast = {
            "episode": row.episode_id,
            "days_in_program": got.days_in_program,
            "program_start": got.program_start,
            "program_end": got.program_end,
            "last_diary": got.last_diary,
            "due": got.due,
            "overdue": got.overdue,
            "fdi": tuple(got.fdi),
            "flags": list(got.flags),
        }
        slow = {
            "episode": want.episode_id,
            "days_in_program": want.days_in_program,
            "program_start": want.program_start,
            "program_end": want.program_end,
            "last_diary": want.last_diary,
            "due": want.due,
            "overdue": want.overdue,
            "fdi": want.fdi,
            "flags": want.flags,
        }
        for name, value in fast.items():
            if value != slow[name]:
                problems.append(f"patient {pid}: {name} {value!r}, expected {slow[name]!r}")
    return problems


def _child_expected(
    pid: int, viewer: Any, today: date, wording: FamilyWording, using: str, problems: list[str]
) -> ChildExpected:
    episodes = list(
        Episode.objects.using(using)
        .filter(patient_id=pid)
        .values("pk", "referral_date", "state", "state_changed_at")
    )
    latest = max(episodes, key=lambda e: (e["referral_date"], e["pk"]), default=None)
    flags: list[str] = []
    last_diary, activity_now, activity_before = _diary(pid, today, using)
    want = ChildExpected(None, None, None, None, last_diary, 0, 0, (), flags)
    flags += _safety_and_messages(pid, viewer, using)
    if latest is None:
        return _ordered(want)
    episode_id = latest["pk"]
    want.episode_id = episode_id
    moves = EpisodeTransition.objects.using(using).filter(
        episode_id=episode_id, target=EpisodeState.ACTIVE
    )
    starts = [timezone.localdate(at) for at in moves.values_list("at", flat=True)]
    want.program_start = min(starts, default=None)
    discharged_on = (
        Discharge.objects.using(using)
        .filter(episode_id=episode_id)
        .values_list("discharged_on", flat=True)
        .first()
    )
    want.program_end = program_end_day(latest["state"], latest["state_changed_at"], discharged_on)
    want.days_in_program = days_in_program(want.program_start, ended=want.program_end, today=today)
    active = latest["state"] == EpisodeState.ACTIVE
    # The diary's part.
    quiet = last_diary is None or (today - last_diary).days >= NO_DIARY_DAYS
    if active and (want.days_in_program or 0) >= NO_DIARY_DAYS and quiet:
        flags.append(NO_DIARY.key)
    if rules.function_falling(
        active=active, activity_now=activity_now, activity_before=activity_before
    ):
        flags.append(FUNCTION_FALLING.key)
    # The questionnaires' part, one administration at a time.
    late_before = today - timedelta(days=OVERDUE_AFTER_DAYS)
    completed: list[Scored] = []
    for a in (
        Administration.objects.using(using).filter(episode_id=episode_id).values(*ADMIN_FIELDS)
    ):
        if a["state"] in (AdminState.DUE, AdminState.IN_PROGRESS):
            want.due += 1
            at_visit = wording.at_visit(
                Administration(
                    instrument_id=a["instrument_id"], instrument_version=a["instrument_version"]
                )
            )
            if a["due_on"] < late_before and not at_visit:
                want.overdue += 1
        elif a["state"] == AdminState.COMPLETED:
            completed.append(scored_again(a, problems))
    in_order = in_course_order(completed)
    registry = instrument_registry()
    want.fdi = first_and_latest([s for s in in_order if s.instrument_id == "fdi-child"])
    change = rules.fdi_change(registry.find("fdi-child"), want.fdi)
    if rules.no_reliable_improvement(
        active=active, days_in_program=want.days_in_program, change=change
    ):
        flags.append(NO_IMPROVEMENT.key)
    if rules.function_falling(active=active, change=change):
        flags.append(FUNCTION_FALLING.key)
    for instrument_id, flag in CATASTROPHIZING_FLAGS.items():
        mine = [s for s in in_order if s.instrument_id == instrument_id]
        band = mine[-1].band if mine else ""
        if rules.catastrophizing_high(band, top=rules.top_band(registry.find(instrument_id))):
            flags.append(flag)
    # The exam's part.
    if active:
        exams = allodynia_exams(episode_id, today, using)
        growing = rules.allodynia_territory_growing(
            active=active, exams=[(regions, age) for _day, age, regions in exams]
        )
        if growing:
            flags.append(ALLODYNIA_GROWING.key)
    return _ordered(want)


def _ordered(want: ChildExpected) -> ChildExpected:
    want.flags = dashboards.flag_order(want.flags)
    return want


def _diary(pid: int, today: date, using: str) -> tuple[date | None, float | None, float | None]:
    """The last diary day (the child's or a parent's), and the child's mean activity rating in
    the last fortnight (today and the 13 days before) and in the fortnight before that."""
    last = None
    now: list[float] = []
    before: list[float] = []
    fortnight = today - timedelta(days=14)
    for day, respondent, answers in (
        DiaryEntry.objects.using(using)
        .filter(patient_id=pid)
        .values_list("day", "respondent", "answers")
    ):
        last = day if last is None or day > last else last
        rating = (answers or {}).get("activity")
        if respondent != Respondent.CHILD or rating is None or day > today:
            continue
        if day > fortnight:
            now.append(float(rating))
        elif day > fortnight - timedelta(days=14):
            before.append(float(rating))
    return last, (mean(now) if now else None), (mean(before) if before else None)


def _safety_and_messages(pid: int, viewer: Any, using: str) -> list[str]:
    """ "safety": an alert not acknowledged that the viewer may know of (one raised from a teen's
    private answer: for the care team with the permission, or for a coordinator when nobody on
    the episode's team can be emailed). "message_waiting": a conversation the viewer may open
    with a family message neither done nor withdrawn."""
    flags = []
    permissions = viewer.permissions
    on_team = (
        CareTeamMember.objects.using(using)
        .filter(clinician_id=viewer.pk, episode__patient_id=pid)
        .exists()
    )
    private_ok = Permission.TEEN_PRIVATE_VIEW in permissions and on_team
    for private, episode_id in (
        SafetyAlert.objects.using(using)
        .filter(patient_id=pid, acknowledged_at__isnull=True)
        .values_list("private", "episode_id")
    ):
        if (
            not private
            or private_ok
            or (
                Permission.TEEN_PRIVATE_VIEW in permissions
                and "coordinator" in viewer.role_keys
                and not _team_can_be_told(episode_id, using)
            )
        ):
            flags.append(SAFETY.key)
            break
    if Permission.MESSAGE_VIEW in permissions:
        for conversation_id, kind in (
            Conversation.objects.using(using).filter(patient_id=pid).values_list("pk", "kind")
        ):
            if kind == ConversationKind.TEEN and not private_ok:
                continue
            waiting = Message.objects.using(using).filter(
                conversation_id=conversation_id,
                from_family=True,
                done_at__isnull=True,
                withdrawn_at__isnull=True,
            )
            if waiting.exists():
                flags.append(MESSAGE_WAITING.key)
                break
    return flags


def _team_can_be_told(episode_id: int | None, using: str) -> bool:
    if episode_id is None:
        return False
    members = CareTeamMember.objects.using(using).filter(episode_id=episode_id)
    return any(
        active and email
        for active, email in members.values_list("clinician__is_active", "clinician__email")
    )
