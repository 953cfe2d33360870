"""Health-system-sized synthetic data: `backto synth --patients N [--days D] [--seed S]`.

N children across several clinics and care teams, episodes in every state (with relapses), daily
child and parent diaries with gaps, questionnaires every two weeks and at discharge and
follow-up, goals with GAS reviews, therapy sessions and home-program ticks, all following the
recovery pattern of CLINICAL.md (function first, pain weeks later, about one child in six not
responding, some setbacks). It reuses the demo's trajectory (`demo_program`).

Bulk-loaded: rows are built in Python a chunk of children at a time and inserted with
`bulk_create`, one transaction per chunk, so memory stays flat as N grows; each chunk ends by
computing its episodes' measure summaries and session doses, as the actions would have. No audit
events: nobody read or wrote these records. Accounts get unusable passwords; nobody signs in as them.
"""

import multiprocessing
import random
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, models, transaction
from django.utils import timezone

from backto.access.accounts.models import Clinic, StaffRole, User, UserKind
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import (
    CareTeamMember,
    Discipline,
    Episode,
    EpisodeTransition,
    Guardianship,
    PainPattern,
    Patient,
    Sex,
)
from backto.capabilities.careplan.dose import session_doses_refresh
from backto.capabilities.careplan.models import (
    FOLLOW_UP_MONTHS,
    CarePlan,
    Discharge,
    FollowUp,
    PlanDose,
    TherapySession,
)
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.goals.models import Goal, GoalRating
from backto.capabilities.homeprogram.actions import starter_library_load
from backto.capabilities.homeprogram.models import Exercise, ExerciseLog, HomeProgramItem
from backto.capabilities.measures.models import MISSED_AFTER_DAYS, Administration, AdminState
from backto.capabilities.measures.schedule import (
    DEFAULT_TEMPLATE,
    discharge_schedule,
    program_schedule,
)
from backto.capabilities.measures.summary import measure_summaries_refresh
from backto.capabilities.wins.models import Win
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.screening import add_months
from backto.demo.build import BOYS, FAMILY_NAMES, GIRLS, PARENT_FIRST, SCHOOLS, _pick_age
from backto.demo.bulk import insert, insert_rows
from backto.demo.care import DOSE_OUTPATIENT, care_plan_rows, session_rows
from backto.demo.program import (
    GOALS,
    Course,
    complete_as_the_course_goes,
    course_progress,
    diary_rows,
    fortnightly_reviews,
    goal_from,
    measure_bases,
)
from backto.demo.spanish import SPANISH
from backto.readers.outcomes.rows import outcome_rows_refresh

UNUSABLE = make_password(None)  # synthetic people never sign in
CHUNK = 200  # children per transaction
# Rolls that give referred, intake, withdrawn, active, discharged or follow-up (and closed where
# the history is long enough): a small synthetic clinic still shows every state.
EVERY_STATE = (0.01, 0.05, 0.10, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)
PATIENTS_PER_CLINIC = 2500
PATIENTS_PER_TEAM = 40  # each clinician carries about this many children
STAFF_ROLES = {
    "pt": ("physical_therapist", Discipline.PT),
    "ot": ("occupational_therapist", Discipline.OT),
    "counselor": ("counselor", Discipline.COUNSELING),
    "physician": ("physician", Discipline.MEDICINE),
    "coordinator": ("coordinator", Discipline.COORDINATION),
}


@dataclass
class SynthResult:
    clinics: int = 0
    patients: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, model: type[models.Model], count: int) -> None:
        name = model._meta.verbose_name_plural
        self.rows[str(name)] = self.rows.get(str(name), 0) + count


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class Staffing:
    clinic: Clinic
    by_role: dict[str, list[User]]
    library: list[Exercise]


def _clinic(number: int, patients: int, rng: random.Random, result: SynthResult) -> Staffing:
    clinic = Clinic.objects.create(
        name=f"Synthetic Pain Program {number}",
        slug=f"synth-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}",
    )
    starter_library_load(clinic=clinic)
    teams = max(1, patients // PATIENTS_PER_TEAM)
    users, roles = [], []
    for key, (role, _) in STAFF_ROLES.items():
        count = 1 if key in ("physician", "coordinator") else teams
        for n in range(count):
            users.append(
                User(
                    clinic=clinic,
                    username=f"{clinic.slug}-{key}-{n + 1}",
                    display_name=f"{key.title()} {n + 1}",
                    kind=UserKind.STAFF,
                    password=UNUSABLE,
                )
            )
            roles.append(role)
    insert(User, users, ids=True)
    insert(StaffRole, [StaffRole(user=u, role=r) for u, r in zip(users, roles, strict=True)])
    by_role: dict[str, list[User]] = {key: [] for key in STAFF_ROLES}
    for user, role in zip(users, roles, strict=True):
        key = next(k for k, (r, _) in STAFF_ROLES.items() if r == role)
        by_role[key].append(user)
    result.add(User, len(users))
    return Staffing(clinic, by_role, list(Exercise.objects.filter(clinic=clinic).order_by("id")))


@dataclass
class Plan:
    """One child's story: the episode's state and its dates."""

    state: str
    referral: date
    start: date | None = None  # program start
    discharge: date | None = None
    closed: date | None = None
    withdrawn: date | None = None
    intensive: bool = False


def _plan(rng: random.Random, today: date, days: int, roll: float | None = None) -> Plan:
    """A random story; `roll` picks the kind (see EVERY_STATE)."""
    roll = rng.random() if roll is None else roll
    if roll < 0.04:
        return Plan(EpisodeState.REFERRED, today - timedelta(days=rng.randint(0, 10)))
    if roll < 0.08:
        return Plan(EpisodeState.INTAKE, today - timedelta(days=rng.randint(5, 20)))
    intensive = rng.random() < 0.35
    weeks = 4 if intensive else 8
    long_history = rng.random() < 0.6
    back = (
        rng.randint(int(days * 0.85), days) if long_history else rng.randint(7, max(8, days // 2))
    )
    start = today - timedelta(days=max(1, back))
    plan = Plan(EpisodeState.ACTIVE, start - timedelta(days=21), start=start, intensive=intensive)
    if roll < 0.12:
        plan.state = EpisodeState.WITHDRAWN
        plan.withdrawn = min(today, start + timedelta(days=rng.randint(7, 20)))
        return plan
    discharge = start + timedelta(weeks=weeks)
    if discharge >= today:
        return plan
    plan.discharge = discharge
    since = (today - discharge).days
    if since < 30:
        plan.state = EpisodeState.DISCHARGED
    elif since > 90 and rng.random() < 0.3:
        plan.state = EpisodeState.CLOSED
        plan.closed = discharge + timedelta(days=rng.randint(60, since))
    else:
        plan.state = EpisodeState.FOLLOW_UP
    return plan


def _steps(plan: Plan) -> Iterator[tuple[str, str, date]]:
    """The transitions (source, target, day) that lead to the plan's state."""
    yield "", EpisodeState.REFERRED, plan.referral
    if plan.state == EpisodeState.REFERRED:
        return
    yield EpisodeState.REFERRED, EpisodeState.INTAKE, plan.referral + timedelta(days=3)
    if plan.state == EpisodeState.INTAKE:
        return
    assert plan.start is not None
    yield EpisodeState.INTAKE, EpisodeState.ACTIVE, plan.start
    if plan.withdrawn:
        yield EpisodeState.ACTIVE, EpisodeState.WITHDRAWN, plan.withdrawn
        return
    if plan.discharge is None:
        return
    yield EpisodeState.ACTIVE, EpisodeState.DISCHARGED, plan.discharge
    if plan.state == EpisodeState.DISCHARGED:
        return
    yield EpisodeState.DISCHARGED, EpisodeState.FOLLOW_UP, plan.discharge + timedelta(days=30)
    if plan.closed:
        yield EpisodeState.FOLLOW_UP, EpisodeState.CLOSED, plan.closed


def synthesize(
    *,
    patients: int,
    days: int = 180,
    seed: int = 1,
    clinics: int = 0,
    jobs: int = 1,
    progress: Callable[[int], object] | None = None,
) -> SynthResult:
    """`clinics` 0: one clinic per PATIENTS_PER_CLINIC children, at least two. Each clinic draws
    from a random stream of its own (seeded by `seed` and its number), so the same seed gives
    the same children whatever `jobs` is. `jobs` above 1 synthesizes that many clinics at once,
    each in a process of its own (PostgreSQL only: SQLite takes one writer at a time)."""
    today = timezone.localdate()
    clinics = clinics or max(2, -(-patients // PATIENTS_PER_CLINIC))
    sizes = [patients // clinics + (1 if n < patients % clinics else 0) for n in range(clinics)]
    numbered = list(enumerate(sizes, start=1))
    if jobs > 1:
        return _in_processes(numbered, days, seed, today, jobs, progress)
    result = SynthResult()
    for number, size in numbered:
        _one_clinic(number, size, days, seed, today, result, progress)
    return result


def _one_clinic(
    number: int,
    size: int,
    days: int,
    seed: int,
    today: date,
    result: SynthResult,
    progress: Callable[[int], object] | None,
) -> None:
    rng = random.Random(f"{seed}-{number}")
    registry = instrument_registry()
    with transaction.atomic():
        staffing = _clinic(number, size, rng, result)
    result.clinics += 1
    done = 0
    while done < size:
        count = min(CHUNK, size - done)
        with transaction.atomic():
            _chunk(staffing, count, done, days, today, rng, registry, result)
        done += count
        result.patients += count
        if progress:
            progress(count)


def _in_processes(
    numbered: list[tuple[int, int]],
    days: int,
    seed: int,
    today: date,
    jobs: int,
    progress: Callable[[int], object] | None,
) -> SynthResult:
    """The clinics shared out over `jobs` forked processes, each with its own connection; the
    children report each chunk on a queue, so the progress bar moves as in one process."""
    if connection.vendor != "postgresql":
        raise ValueError("jobs above 1 need PostgreSQL")
    context = multiprocessing.get_context("fork")
    reports = context.SimpleQueue()
    connections.close_all()  # each process opens its own

    def work(share: list[tuple[int, int]]) -> None:
        result = SynthResult()
        try:
            for number, size in share:
                _one_clinic(
                    number, size, days, seed, today, result, lambda n: reports.put(("chunk", n))
                )
            reports.put(("done", result))
        except BaseException:
            reports.put(("failed", traceback.format_exc()))
        finally:
            connections.close_all()

    shares = [numbered[n::jobs] for n in range(jobs) if numbered[n::jobs]]
    processes = [context.Process(target=work, args=(share,)) for share in shares]
    for process in processes:
        process.start()
    total, failures, running = SynthResult(), [], len(processes)
    while running:
        kind, said = reports.get()
        if kind == "chunk":
            if progress:
                progress(said)
            continue
        running -= 1
        if kind == "failed":
            failures.append(said)
        else:
            total.clinics += said.clinics
            total.patients += said.patients
            for name, count in said.rows.items():
                total.rows[name] = total.rows.get(name, 0) + count
    for process in processes:
        process.join()
    if failures:
        raise RuntimeError("a synthesizing process failed:\n" + "\n".join(failures))
    return total


def _chunk(
    staffing: Staffing,
    count: int,
    offset: int,
    days: int,
    today: date,
    rng: random.Random,
    registry: Any,
    result: SynthResult,
) -> None:
    """`count` children of one clinic, from their families to their records."""
    people = _families(staffing.clinic, count, offset, today, rng, result)
    current, earlier = _episodes(people, offset, days, today, rng, result)
    coordinator = staffing.by_role["coordinator"][0]
    insert(
        EpisodeTransition,
        [
            EpisodeTransition(episode=e, source=s, target=t, by=coordinator, at=_aware(d))
            for e, p in current + earlier
            for s, t, d in _steps(p)
        ],
    )
    old_discharge = {e.pk: p.discharge or p.referral for e, p in earlier}
    rows: dict[type[models.Model], list[Any]] = {m: [] for m in INSERT_ORDER}
    later: list[tuple[Episode, Plan, Course, dict[str, User]]] = []
    for (episode, plan), (child, guardian, teen) in zip(current, people, strict=True):
        team = {key: rng.choice(staffing.by_role[key]) for key in ("pt", "ot", "counselor")}
        _team_and_earlier_discharge(episode, team, old_discharge, rows)
        if plan.start is None:
            continue
        end = min(today, plan.closed or plan.withdrawn or today)
        course = Course(
            start=plan.start,
            end=end,
            responder=rng.random() > 0.17,
            setback_at=plan.start + timedelta(days=rng.randint(40, 120))
            if rng.random() < 0.15
            else None,
        )
        writer = teen or guardian
        _history(
            episode,
            plan,
            course,
            child,
            writer,
            guardian,
            team,
            staffing.library,
            today,
            rng,
            registry,
            rows,
        )
        later.append((episode, plan, course, team))
    for model in INSERT_ORDER:  # parents before the rows that point at them
        insert(model, rows[model], ids=model in REFERENCED)
        result.add(model, len(rows[model]))
    _goals_and_ticks(later, rows[HomeProgramItem], rng, result)
    measure_summaries_refresh(episode.pk for episode, _ in current + earlier)
    session_doses_refresh(episode.pk for episode, _ in current + earlier)
    outcome_rows_refresh(episode.pk for episode, _ in current + earlier)


def _families(
    clinic: Clinic,
    count: int,
    offset: int,
    today: date,
    rng: random.Random,
    result: SynthResult,
) -> list[tuple[Patient, User, User | None]]:
    """Children with a guardian each and, for most of those 12 or older, a teen account."""
    people: list[tuple[Patient, User, User | None]] = []
    for n in range(count):
        girl = rng.random() < 0.75
        age = _pick_age(rng)
        family = rng.choice(FAMILY_NAMES)
        first = rng.choice(GIRLS if girl else BOYS)
        born = today - timedelta(days=age * 365 + rng.randint(0, 364))
        ident = f"{clinic.slug}-{offset + n + 1}"
        # One family in eight speaks Spanish at home, by place (no random draw of its own).
        language = SPANISH if (offset + n) % 8 == 3 else "en"
        guardian = User(
            clinic=clinic,
            username=f"{ident}-parent",
            display_name=f"{rng.choice(PARENT_FIRST)} {family}",
            kind=UserKind.GUARDIAN,
            password=UNUSABLE,
            language=language,
        )
        teen = (
            User(
                clinic=clinic,
                username=f"{ident}-teen",
                display_name=first,
                kind=UserKind.TEEN,
                password=UNUSABLE,
                language=language,
            )
            if age >= 12 and rng.random() < 0.8
            else None
        )
        child = Patient(
            clinic=clinic,
            legal_name=f"{first} {family}",
            preferred_name=first,
            date_of_birth=born,
            sex=Sex.FEMALE if girl else Sex.MALE,
            school=rng.choice(SCHOOLS),
            grade=str(max(3, min(12, age - 5))),
            languages="Spanish, English" if language == SPANISH else "English",
            family_language=language,
        )
        people.append((child, guardian, teen))
    guardians = [g for _, g, _ in people]
    teens = [t for _, _, t in people if t is not None]
    insert(User, guardians + teens, ids=True)
    for child, _guardian, teen in people:
        child.teen_account = teen
    insert(Patient, [c for c, _, _ in people], ids=True)
    insert(
        Guardianship,
        [
            Guardianship(
                guardian=g, patient=c, relationship="mother" if rng.random() < 0.7 else "father"
            )
            for c, g, _ in people
        ],
    )
    result.add(User, len(guardians) + len(teens))
    result.add(Patient, len(people))
    return people


def _episodes(
    people: list[tuple[Patient, User, User | None]],
    offset: int,
    days: int,
    today: date,
    rng: random.Random,
    result: SynthResult,
) -> tuple[list[tuple[Episode, Plan]], list[tuple[Episode, Plan]]]:
    """Each child's current episode with its plan, in people's order, and the earlier, closed
    episodes of the few whose current one is a relapse."""
    earlier: list[tuple[Episode, Plan]] = []
    for child, _, _ in people:
        if rng.random() < 0.08:  # an earlier, closed episode: this one is a relapse
            old_start = today - timedelta(days=days + rng.randint(200, 500))
            closed = old_start + timedelta(weeks=8, days=120)
            old = Plan(
                EpisodeState.CLOSED,
                old_start - timedelta(days=21),
                start=old_start,
                discharge=old_start + timedelta(weeks=8),
                closed=closed,
            )
            episode = Episode(
                patient=child,
                state=old.state,
                referral_date=old.referral,
                state_changed_at=_aware(closed),
            )
            earlier.append((episode, old))
    insert(Episode, [e for e, _ in earlier], ids=True)
    previous = {e.patient_id: e for e, _ in earlier}
    current: list[tuple[Episode, Plan]] = []
    for n, (child, _, _) in enumerate(people):
        covering = offset + n < len(EVERY_STATE)  # a clinic's first children: every state
        plan = _plan(rng, today, days, EVERY_STATE[offset + n] if covering else None)
        last = [d for _, _, d in _steps(plan)][-1]
        regions = rng.randint(5, 12) if rng.random() < 0.55 else rng.randint(1, 3)
        episode = Episode(
            patient=child,
            state=plan.state,
            referral_date=plan.referral,
            painful_region_count=regions,
            pain_pattern=PainPattern.INTERMITTENT if rng.random() < 0.2 else PainPattern.CONSTANT,
            previous_episode=previous.get(child.pk),
            state_changed_at=_aware(last),
        )
        current.append((episode, plan))
    insert(Episode, [e for e, _ in current], ids=True)
    result.add(Episode, len(current) + len(earlier))
    return current, earlier


def _team_and_earlier_discharge(
    episode: Episode,
    team: dict[str, User],
    old_discharge: dict[int, date],
    rows: dict[type[models.Model], list[Any]],
) -> None:
    """The care team, on this episode and on the earlier one it relapsed from, which ended with
    a discharge and then closed."""
    earlier = [e for e in (episode.previous_episode,) if e is not None]
    for key, user in team.items():
        rows[CareTeamMember] += [
            CareTeamMember(
                episode=e, clinician=user, discipline=STAFF_ROLES[key][1], is_lead=key == "pt"
            )
            for e in [episode, *earlier]
        ]
    for old_episode in earlier:
        rows[Discharge].append(
            Discharge(
                episode=old_episode,
                discharged_on=old_discharge[old_episode.pk],
                reason="goals_met",
                summary="Symptom-free and back to everything.",
                by=team["pt"],
            )
        )


def _history(
    episode: Episode,
    plan: Plan,
    course: Course,
    child: Patient,
    writer: User,
    parent: User,
    team: dict[str, User],
    library: list[Exercise],
    today: date,
    rng: random.Random,
    registry: Any,
    rows: dict[type[models.Model], list[Any]],
) -> None:
    care_plan, doses, per_week = care_plan_rows(
        episode,
        intensive=plan.intensive,
        active=plan.state == EpisodeState.ACTIVE,
        leads=dict.fromkeys(DOSE_OUTPATIENT, team["pt"]),
    )
    weeks = care_plan.program_weeks
    rows[CarePlan].append(care_plan)
    rows[PlanDose] += doses
    _questionnaires(episode, plan, course, weeks, writer, parent, team, today, rng, registry, rows)

    # Diaries: most days while the program runs, fewer after discharge.
    def rates(day: date) -> tuple[float, float]:
        after = plan.discharge is not None and day > plan.discharge
        return (0.45, 0.3) if after else (0.8, 0.6)

    entries, wins = diary_rows(
        child,
        episode,
        course,
        writer,
        parent,
        rng,
        rates=rates,
        win_rate=0.3,
        language=child.family_language,
    )
    rows[DiaryEntry] += entries
    rows[Win] += wins
    # Sessions while the program runs.
    clinicians = {"pt": team["pt"], "ot": team["ot"], "counseling": team["counselor"]}
    rows[TherapySession] += session_rows(
        episode,
        per_week,
        clinicians,
        start=course.start,
        end=min(course.end, plan.discharge or course.end),
        rng=rng,
        notes=False,
    )
    for exercise in rng.sample(library, 3):
        rows[HomeProgramItem].append(
            HomeProgramItem(
                episode=episode,
                exercise=exercise,
                added_by=team["pt"],
                start_date=course.start,
                sets=exercise.default_sets,
                reps=exercise.default_reps,
                minutes=exercise.default_minutes or (None if exercise.default_reps else 10),
                days_per_week=7,
            )
        )


def _questionnaires(
    episode: Episode,
    plan: Plan,
    course: Course,
    weeks: int,
    writer: User,
    parent: User,
    team: dict[str, User],
    today: date,
    rng: random.Random,
    registry: Any,
    rows: dict[type[models.Model], list[Any]],
) -> None:
    """The clinic's default questionnaire template as the episode's receivers would schedule it
    (with the discharge and its follow-ups), answered as the course goes, a few missed."""
    planned = program_schedule(plan.start, weeks, DEFAULT_TEMPLATE)  # type: ignore[arg-type]
    if plan.discharge:
        follow = [(m, add_months(plan.discharge, m)) for m in FOLLOW_UP_MONTHS]
        rows[Discharge].append(
            Discharge(
                episode=episode,
                discharged_on=plan.discharge,
                reason="program_completed",
                summary="Finished the program; keep up the home program every day.",
                by=team["pt"],
            )
        )
        rows[FollowUp] += [FollowUp(episode=episode, months=m, due_on=d) for m, d in follow]
        planned = [p for p in planned if p.due_on < plan.discharge]
        planned += discharge_schedule(plan.discharge, follow, DEFAULT_TEMPLATE)
    stopped = plan.withdrawn or plan.closed
    bases = measure_bases(rng.uniform(0.55, 0.8), rng)
    last_done: dict[str, date] = {}  # the months a healthcare-use form covers (in day order)
    for p in planned:
        administration = Administration(
            episode=episode,
            instrument_id=p.instrument_id,
            respondent=p.respondent,
            timepoint=p.timepoint,
            label=p.label,
            due_on=p.due_on,
        )
        rows[Administration].append(administration)
        if stopped and p.due_on > stopped:
            administration.state = AdminState.CANCELLED
            continue
        if p.due_on > today:
            continue
        done_on = p.due_on + timedelta(days=rng.choice([0, 0, 1, 2]))
        if done_on > today or rng.random() < 0.07:
            if (today - p.due_on).days > MISSED_AFTER_DAYS:  # as the questionnaire sweep leaves it
                administration.state = AdminState.MISSED
                administration.note = f"not finished within {MISSED_AFTER_DAYS} days"
            else:
                administration.state = AdminState.DUE
            continue
        complete_as_the_course_goes(
            administration,
            registry.get(p.instrument_id),
            base=bases[p.instrument_id],
            course=course,
            done_on=done_on,
            by=writer if p.respondent == "child" else parent,
            rng=rng,
            last_done=last_done,
        )


REFERENCED = frozenset({CarePlan, HomeProgramItem})  # rows that later rows point at
INSERT_ORDER: tuple[type[models.Model], ...] = (
    CareTeamMember,
    CarePlan,
    PlanDose,
    Discharge,
    FollowUp,
    Administration,
    DiaryEntry,
    TherapySession,
    HomeProgramItem,
    Win,
)


def _goals_and_ticks(
    later: list[tuple[Episode, Plan, Course, dict[str, User]]],
    items: list[HomeProgramItem],
    rng: random.Random,
    result: SynthResult,
) -> None:
    goals, plans = [], []
    for episode, _plan, course, team in later:
        for template in rng.sample(GOALS, 3):
            goals.append(
                goal_from(template, episode, course, team["pt"], episode.patient.family_language)
            )
            plans.append(course)
    insert(Goal, goals, ids=True)
    ratings = [
        rating
        for goal, course in zip(goals, plans, strict=True)
        for rating in fortnightly_reviews(goal, goal.created_by, course, rng)
    ]
    insert(GoalRating, ratings)
    result.add(Goal, len(goals))
    result.add(GoalRating, len(ratings))
    courses = {episode.pk: (course, team) for episode, _, course, team in later}
    logs = []
    for item in items:
        course, _team = courses[item.episode_id]
        day = course.start
        while day <= course.end:
            if rng.random() < 0.35 + 0.5 * course_progress(day, course):
                logs.append((item.pk, day, item.added_by_id, _aware(day, 19)))
            day += timedelta(days=1)
    insert_rows(ExerciseLog, ("item_id", "day", "by_id", "created_at"), logs)
    result.add(ExerciseLog, len(logs))
