"""Demo program history: goals with GAS reviews, small wins, daily diaries and questionnaires.

Each child in or past the program gets a recovery that looks like the cohorts in CLINICAL.md:
function (activity, school, sleep) improves first and pain follows weeks later; about one child
in six barely moves (a non-responder); diaries have missed days; the occasional hard day. History
is bulk-loaded (no audit events: nobody read or wrote these records, the demo made them).
"""

import math
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import Episode, Patient
from backto.access.patients.respondents import Respondent
from backto.capabilities.alerts.models import AlertSource, SafetyAlert
from backto.capabilities.diary.models import INSTRUMENT_FOR, DiaryEntry
from backto.capabilities.exam.actions import functional_test_record
from backto.capabilities.goals.models import Goal, GoalRating, GoalStep, RaterKind
from backto.capabilities.homeprogram.models import Exercise, ExerciseLog, HomeProgramItem
from backto.capabilities.measures.models import (
    MISSED_AFTER_DAYS,
    OPEN_ADMIN_STATES,
    Administration,
    AdminState,
)
from backto.capabilities.measures.queries import FamilyWording
from backto.capabilities.measures.results import result_columns, result_record
from backto.capabilities.measures.summary import measure_summaries_refresh
from backto.capabilities.wins.models import Win, WinReaction
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument
from backto.clinical.scoring import months_covered, score
from backto.demo.care import demo_plan_and_sessions
from backto.demo.exam import add_exams
from backto.demo.medicines import add_medicines
from backto.demo.spanish import in_language

GOALS = [
    (
        "Walk to class with my friends",
        "pt",
        [
            "Uses the elevator and gets a ride between classes",
            "Walks to one class a day, with rests",
            "Walks to every class with friends",
            "Walks to class and carries own backpack",
            "Walks to and from school and to every class",
        ],
        ["Walk to the mailbox and back", "Walk around the block", "Walk to one class at school"],
    ),
    (
        "Play a full soccer game",
        "pt",
        [
            "Watches from the sideline",
            "Joins warm-ups",
            "Plays one half of a game",
            "Plays a full game",
            "Plays a full game and a practice the same week",
        ],
        ["Kick the ball in the yard for 10 minutes", "Join team warm-ups", "Play 15 minutes"],
    ),
    (
        "Sleep through the night",
        "counseling",
        [
            "Wakes most nights for an hour or more",
            "Wakes 3-4 nights a week",
            "Sleeps through 5 nights a week",
            "Sleeps through 6 nights a week",
            "Sleeps through every night",
        ],
        ["Same bedtime every night", "Screens off an hour before bed", "Slow breathing in bed"],
    ),
    (
        "Go back to school all day",
        "counseling",
        [
            "Not at school",
            "Half days twice a week",
            "Full days 4 days a week",
            "Full days every day",
            "Full days and an after-school club",
        ],
        ["Half days on Monday and Wednesday", "Three half days", "One full day"],
    ),
    (
        "Get dressed and ready by myself",
        "ot",
        [
            "Needs help with socks, shoes and buttons",
            "Needs help with shoes",
            "Dresses alone, a bit slowly",
            "Dresses alone in 15 minutes",
            "Dresses alone and packs bag",
        ],
        [
            "Put on socks with the long-handled aid",
            "Tie shoes sitting down",
            "Dress before breakfast",
        ],
    ),
    (
        "Help cook dinner",
        "ot",
        [
            "Does not go in the kitchen",
            "Sets the table",
            "Helps cook one night a week",
            "Helps cook three nights a week",
            "Cooks a simple meal alone",
        ],
        ["Set the table", "Stir and chop one dish", "Help cook on Sunday"],
    ),
]
WINS = [
    "Walked to the mailbox",
    "Went to school all day",
    "Slept through the night",
    "Played outside with my sister",
    "Carried my own backpack",
    "Went to practice",
    "Helped cook dinner",
    "Walked the dog around the block",
    "Rode my bike to the park",
    "Went to the movies with friends",
    "Did all my exercises",
    "Took a shower by myself",
]
WIN_NOTES = ["So proud of you!", "That is a big step.", "Great work — keep going!"]


@dataclass(frozen=True)
class Course:
    """How one child's program goes: when it began, and how well it responds."""

    start: date
    end: date  # last diary day
    responder: bool
    setback_at: date | None = None


def course_progress(day: date, course: Course, lag_days: int = 0) -> float:
    """0 at the start, towards 1 as the program works; pain lags function by `lag_days`."""
    weeks = max(0.0, ((day - course.start).days - lag_days) / 7)
    gain = 1 / (1 + math.exp(-(weeks - 4) / 1.6)) if course.responder else 0.15 * min(1, weeks / 8)
    if course.setback_at and day >= course.setback_at:
        gain *= 0.45
    return gain


def clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def child_answers(day: date, course: Course, rng: random.Random) -> dict[str, object]:
    function = course_progress(day, course)
    relief = course_progress(day, course, lag_days=21)
    weekend = day.weekday() >= 5
    activity = round(clip(0.5 + 3.3 * function + rng.gauss(0, 0.6), 0, 4))
    if weekend:
        school = 9
    else:
        chance_full = 0.1 + 0.85 * function
        school = 2 if rng.random() < chance_full else (1 if rng.random() < 0.5 else 0)
    answers: dict[str, object] = {
        "activity": activity,
        "school": school,
        "sleep_hours": round(clip(6 + 2.5 * function + rng.gauss(0, 0.7), 3, 11) * 2) / 2,
        "sleep_quality": round(clip(1 + 2.5 * function + rng.gauss(0, 0.7), 0, 4)),
        "mood": round(clip(1.2 + 2.4 * function + rng.gauss(0, 0.7), 1, 4)),
        "coping": sorted(rng.sample(range(1, 9), rng.randint(0, 3))),
        "home_program": 2 if rng.random() < 0.45 + 0.45 * function else rng.choice([0, 1]),
        "pain": round(clip(7.1 - 4.6 * relief + rng.gauss(0, 0.9), 0, 10)),
    }
    if school == 1:
        answers["school_hours"] = rng.choice([2, 3, 3.5, 4])
    if rng.random() < 0.25:
        answers["win"] = rng.choice(WINS)
    if not answers["coping"]:
        del answers["coping"]
    return answers


def parent_answers(child: dict[str, object], rng: random.Random) -> dict[str, object]:
    answers = {k: v for k, v in child.items() if k not in ("win", "coping")}
    answers["activity"] = int(clip(int(child["activity"]) + rng.choice([-1, 0, 0, 1]), 0, 4))  # type: ignore[call-overload]
    answers["mood"] = int(clip(int(child["mood"]) + rng.choice([-1, 0, 0]), 1, 4))  # type: ignore[call-overload]
    return answers


def _course(episode: Episode, today: date, rng: random.Random) -> Course | None:
    started = next(
        (
            timezone.localdate(t.at)
            for t in episode.transitions.all()
            if t.target == EpisodeState.ACTIVE
        ),
        None,
    )
    if started is None:
        return None
    ended = next(
        (
            timezone.localdate(t.at)
            for t in episode.transitions.all()
            if t.target == EpisodeState.DISCHARGED
        ),
        None,
    )
    end = min(today, (ended or today) + timedelta(days=14))
    responder = rng.random() > 0.17
    setback = None
    if responder and (end - started).days > 60 and rng.random() < 0.2:
        setback = started + timedelta(days=rng.randint(40, (end - started).days))
    return Course(start=started, end=end, responder=responder, setback_at=setback)


def add_program_history(
    *,
    patient: Patient,
    episode: Episode,
    staff: dict[str, User],
    guardian: User,
    today: date,
    rng: random.Random,
    hard_day: bool = False,
    place: int | None = None,
) -> None:
    """Goals, GAS reviews, wins and diaries for one child's episode; `place` is the child's
    number in the demo (it plans the child's catastrophizing, `measure_bases`)."""
    course = _course(episode, today, rng)
    if course is None:
        return
    writer_child = patient.teen_account or guardian
    parent = guardian
    language = patient.family_language  # the family's words, and the team's for them
    _goals(episode, staff, course, rng, language=language)
    _home_program(episode, staff["demo-pt"], writer_child, course, rng)
    demo_plan_and_sessions(episode, staff, course.start, course.end, rng)
    entries, wins = diary_rows(
        patient,
        episode,
        course,
        writer_child,
        parent,
        rng,
        rates=lambda day: (0.8, 0.6),
        win_rate=0.5,
        hard_day=course.end - timedelta(days=2) if hard_day else None,
        language=language,
    )
    DiaryEntry.objects.bulk_create(entries, batch_size=500)
    Win.objects.bulk_create(wins, batch_size=500)
    _measures(episode, course, writer_child, parent, staff["demo-pt"], today, rng, place)
    # Their own random source: adding them left every other draw of the demo as it was.
    tests_rng = random.Random(f"functional-tests-{patient.pk}-{course.start}")
    _functional_tests(episode, course, staff["demo-pt"], today, tests_rng)
    add_exams(
        episode=episode,
        progress=lambda day: course_progress(day, course),
        start=course.start,
        end=course.end,
        pt=staff["demo-pt"],
        child_writer=writer_child,
        parent=parent,
        today=today,
        rng=random.Random(f"exams-{patient.pk}-{course.start}"),
    )
    add_medicines(  # their own random source too
        patient=patient,
        episode=episode,
        start=course.start,
        end=min(course.end, today),
        responder=course.responder,
        parent=parent,
        physician=staff["demo-physician"],
        language=language,
        rng=random.Random(f"medicines-{patient.pk}-{course.start}"),
    )
    hard_entry = next((e for e in entries if e.safety_alert), None)
    if hard_entry is not None:  # its alert, waiting for the care team in the demo
        SafetyAlert.objects.create(
            patient=patient,
            episode=episode,
            source=AlertSource.DIARY,
            source_id=hard_entry.pk,
            respondent=hard_entry.respondent,
            items=["How I felt"],
            raised_by=hard_entry.author,
        )
    reactions = [
        WinReaction(
            win=win,
            by=staff["demo-pt"],
            kind="cheer" if n % 2 else "note",
            note="" if n % 2 else in_language(rng.choice(WIN_NOTES), language),
        )
        for n, win in enumerate(Win.objects.filter(episode=episode)[:6])
    ]
    WinReaction.objects.bulk_create(reactions)


# Which course drives each measure: function for most, the lagging relief for pain and for
# health care (CLINICAL.md: visits fall after function returns, as pain does).
PAIN_MEASURES = {"nrs-pain"}
LAGGING_MEASURES = PAIN_MEASURES | {"healthcare-use"}

# Health care a child with months of unexplained pain needs per 3 months before a program, at
# the worst (severity 1): emergency and urgent-care visits, specialists, imaging and tests,
# nights in hospital, visits to the school nurse, and the days a parent missed work. A project
# choice for synthetic data, in line with the "specialist to specialist" story the parents'
# guide tells; each form's counts are these x severity x months / 3, rounded up or down at
# random in proportion (so that they average out to it).
HEALTHCARE_AT_WORST = {
    "emergency": 1.6,
    "urgent_care": 1.2,
    "specialist": 4.0,
    "imaging_tests": 3.0,
    "hospital_nights": 0.8,
    "school_nurse": 12.0,
    "work_days_missed": 8.0,
}

# Catastrophizing is not disability: a child whose FDI is severe may catastrophize little, so the
# PCS totals are set apart from the function measures, with the published bands falling as in a
# clinic: about a third of the children low, half moderate and a minority high (PCS-C, per
# CLINICAL.md: low below 15, moderate 15 to below 26, high 26 and above; the PCS-P flags 23 and
# above). A synthetic cohort draws each total from a normal of this mean and SD on 0-52 (a
# project choice: about one child in six high); the demo clinic, small enough for chance to
# make most of its few children "high", plans each child's band by its place in the demo, as
# STAGE_PLAN plans the stages (2 of every 12 children high, 2 of every 12 parents flagged).
PCS_BASELINE = {"pcs-c": (18.0, 8.0), "pcs-p": (16.0, 8.0)}
_OK, _HIGH = "not flagged", "high"
PCS_PLAN = {
    "pcs-c": (
        *("moderate", "low", "high", "moderate", "low", "moderate"),
        *("low", "high", "moderate", "low", "moderate", "moderate"),
    ),
    "pcs-p": (_OK, _OK, _OK, _HIGH, _OK, _OK, _OK, _OK, _OK, _HIGH, _OK, _OK),
}
# Baseline totals drawn within each band, clear of its edges (the answers add a little noise).
PCS_TOTALS = {
    "pcs-c": {"low": (4, 11), "moderate": (17, 22), "high": (29, 36)},
    "pcs-p": {"not flagged": (6, 18), "high": (26, 33)},
}


def measure_bases(base: float, rng: random.Random, *, place: int | None = None) -> dict[str, float]:
    """Each measure's baseline severity (0 best, 1 worst) for one child: `base` for the function
    and pain measures; the PCS totals apart from it, planned by the child's `place` in the demo
    (1, 2, ...; PCS_PLAN) or, without one, drawn (PCS_BASELINE)."""
    bases = {}
    for instrument_id, (mean, sd) in PCS_BASELINE.items():
        if place is None:
            total = clip(rng.gauss(mean, sd), 0, 52)
        else:
            plan = PCS_PLAN[instrument_id]
            total = rng.uniform(*PCS_TOTALS[instrument_id][plan[(place - 1) % len(plan)]])
        bases[instrument_id] = total / 52
    return defaultdict(lambda: base, bases)


def healthcare_counts(severity: float, months: Decimal, rng: random.Random) -> dict[str, int]:
    """A healthcare-use form's counts over `months`, following `severity` (0 best, 1 worst)."""
    return {
        link_id: math.floor(at_worst * severity * float(months) / 3 + rng.random())
        for link_id, at_worst in HEALTHCARE_AT_WORST.items()
    }


def demo_answers(
    instrument: Instrument, severity: float, rng: random.Random
) -> dict[str, int | float]:
    """Answers whose level follows `severity` (0 best, 1 worst), item by item with some noise."""
    worse_is_higher = (
        instrument.scoring is None or instrument.scoring.direction == "higher_is_worse"
    )
    answers: dict[str, int | float] = {}
    for item in instrument.items:
        if item.type != "choice" or item.repeats:
            continue
        options = sorted(item.applicable_options, key=item.scored_value)
        level = severity if worse_is_higher else 1 - severity
        index = round(clip(level * (len(options) - 1) + rng.gauss(0, 0.6), 0, len(options) - 1))
        answers[item.linkId] = options[index].value
    return answers


def _measures(
    episode: Episode,
    course: Course,
    child_writer: User,
    parent: User,
    clinician: User,
    today: date,
    rng: random.Random,
    place: int | None = None,
) -> None:
    """Complete the questionnaires whose day has passed, as the recovery goes: most on time,
    some late, a few entered by the PT from paper, the odd one missed. Those a family is never
    sent (their licensed wording is not installed, or they are asked in clinic) the PT entered at
    a visit."""
    registry = instrument_registry()
    wording = FamilyWording(episode.patient.clinic)
    bases = measure_bases(rng.uniform(0.55, 0.8), rng, place=place)
    changed = []
    last_done: dict[str, date] = {}
    for administration in Administration.objects.filter(
        episode=episode, due_on__lte=today, state__in=OPEN_ADMIN_STATES
    ):
        late = rng.choice([0, 0, 0, 1, 2, 4])
        done_on = administration.due_on + timedelta(days=late)
        if done_on > min(today, course.end) or rng.random() < 0.06:
            if (today - administration.due_on).days > MISSED_AFTER_DAYS:
                administration.state = AdminState.MISSED
                administration.note = f"not finished within {MISSED_AFTER_DAYS} days"
            else:
                administration.state = AdminState.DUE
            changed.append(administration)
            continue
        paper = wording.at_visit(administration) or rng.random() < 0.1
        family = child_writer if administration.respondent == "child" else parent
        complete_as_the_course_goes(
            administration,
            registry.get(administration.instrument_id),
            base=bases[administration.instrument_id],
            course=course,
            done_on=done_on,
            by=clinician if paper else family,
            rng=rng,
            last_done=last_done,
        )
        administration.on_behalf = paper
        changed.append(administration)
    Administration.objects.bulk_update(
        changed,
        [
            "state",
            "answers",
            "instrument_version",
            "result",
            "score_total",
            "score_band",
            "engine_version",
            "completed_at",
            "completed_by",
            "on_behalf",
            "note",
        ],
        batch_size=500,
    )
    measure_summaries_refresh([episode.pk])


def _functional_tests(
    episode: Episode, course: Course, pt: User, today: date, rng: random.Random
) -> None:
    """The PT's functional tests every two weeks of the program, as function returns: the walk
    lengthens, the sit-to-stand count rises and the timed up and go shortens in responders,
    and barely moves in the others."""
    walk = rng.uniform(330, 430)  # metres at the start, well short of a healthy child's
    stands = rng.randint(9, 14)
    tug = rng.uniform(8.5, 11.0)
    age = episode.patient.age_on(course.start)
    height = 80 + 6 * min(age, 16) + rng.uniform(-6, 6)  # roughly a child's height for their age
    day = course.start
    while day <= min(today, course.end):
        gain = course_progress(day, course)
        noise = rng.gauss(0, 0.03)
        tests: dict[str, dict[str, object]] = {
            "6mwt": {
                "distance_m": round(walk * (1 + 0.45 * gain + noise)),
                "course_length_m": 30,
                "rests": 0 if gain > 0.5 else rng.choice([0, 1, 2]),
                "height_cm": round(height),
            },
            "30s-sts": {"repetitions": round(stands * (1 + 0.6 * gain + noise))},
            "tug": {"seconds": round(tug * (1 - 0.35 * gain - noise), 1), "pace": "fast"},
        }
        for test_id, inputs in tests.items():
            functional_test_record(by=pt, episode=episode, test_id=test_id, day=day, inputs=inputs)
        day += timedelta(weeks=2)


def complete_as_the_course_goes(
    administration: Administration,
    instrument: Instrument,
    *,
    base: float,
    course: Course,
    done_on: date,
    by: User,
    rng: random.Random,
    last_done: dict[str, date] | None = None,
) -> None:
    """Answer and score an administration (unsaved) as the child's course stands that day:
    function measures follow the course, pain and health care three weeks behind it.
    `last_done` (instrument id -> the day its latest form of this episode was completed, kept
    up to date here) gives a healthcare-use form the months it covers, as completing fills
    them (measures/actions.py); answer an episode's forms in the order of their days."""
    lag = 21 if administration.instrument_id in LAGGING_MEASURES else 0
    severity = base * (1 - 0.85 * course_progress(done_on, course, lag_days=lag))
    rate = instrument.scoring.rate if instrument.scoring else None
    answers: dict[str, int | float]
    if rate is None:
        answers = demo_answers(instrument, severity, rng)
    else:
        since = (last_done or {}).get(instrument.id)
        months = months_covered(rate, instrument.item(rate.months_item), since, done_on)
        answers = {**healthcare_counts(severity, months, rng), rate.months_item: float(months)}
    if last_done is not None:
        last_done[instrument.id] = done_on
    result = score(instrument, answers)
    administration.state = AdminState.COMPLETED
    administration.answers = answers
    administration.instrument_version = instrument.version
    for name, value in result_columns(result_record(result)).items():
        setattr(administration, name, value)
    administration.engine_version = result.engine_version
    administration.completed_at = timezone.make_aware(
        datetime.combine(done_on, time(18, rng.randint(0, 59)))
    )
    administration.completed_by = by


def diary_entry(
    patient: Patient,
    day: date,
    respondent: str,
    author: User,
    answers: dict[str, object],
    rng: random.Random,
) -> DiaryEntry:
    private = ["mood"] if author.is_teen and rng.random() < 0.15 else []
    return DiaryEntry(
        patient=patient,
        day=day,
        respondent=respondent,
        author=author,
        answers=answers,
        private_fields=private,
        instrument_id=INSTRUMENT_FOR[Respondent(respondent)],
        instrument_version="1.0.0",
        safety_alert=answers.get("mood") == 0,
        idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
    )


def diary_rows(
    patient: Patient,
    episode: Episode,
    course: Course,
    writer: User,
    parent: User,
    rng: random.Random,
    *,
    rates: Callable[[date], tuple[float, float]],
    win_rate: float,
    hard_day: date | None = None,
    language: str = "en",
) -> tuple[list[DiaryEntry], list[Win]]:
    """A child's and a parent's diaries over the course, with gaps: each day the child writes
    with the first of `rates(day)`, the parent with the second; a child's win is kept as a win
    with `win_rate`. On `hard_day` the child writes a mood of 0 (the demo shows its alert)."""
    entries: list[DiaryEntry] = []
    wins: list[Win] = []
    day = course.start
    while day <= course.end:
        child_rate, parent_rate = rates(day)
        said = child_answers(day, course, rng)
        hard = day == hard_day
        if hard:
            said["mood"] = 0
        if rng.random() < child_rate or hard:
            entries.append(diary_entry(patient, day, Respondent.CHILD, writer, said, rng))
            if "win" in said and rng.random() < win_rate:
                wins.append(
                    Win(
                        patient=patient,
                        episode=episode,
                        text=in_language(str(said["win"]), language),
                        happened_on=day,
                        added_by=writer,
                    )
                )
        if rng.random() < parent_rate:
            entries.append(
                diary_entry(patient, day, Respondent.PARENT, parent, parent_answers(said, rng), rng)
            )
        day += timedelta(days=1)
    return entries, wins


def _if_past(day: date, course: Course) -> date | None:
    return day if day <= course.end else None


def goal_from(
    template: tuple[str, str, list[str], list[str]],
    episode: Episode,
    course: Course,
    by: User,
    language: str = "en",
) -> Goal:
    """An unsaved goal from one of GOALS (title, discipline, five levels, steps), worded in the
    family's `language`."""
    title, discipline, levels, _steps = template
    title = in_language(title, language)
    levels = [in_language(level, language) for level in levels]
    return Goal(
        episode=episode,
        title=title,
        discipline=discipline,
        level_minus_2=levels[0],
        level_minus_1=levels[1],
        level_0=levels[2],
        level_plus_1=levels[3],
        level_plus_2=levels[4],
        target_date=course.start + timedelta(weeks=8),
        created_by=by,
    )


def _goals(
    episode: Episode,
    staff: dict[str, User],
    course: Course,
    rng: random.Random,
    *,
    language: str = "en",
) -> None:
    lead = {"pt": "demo-pt", "ot": "demo-ot", "counseling": "demo-counselor"}
    for template in rng.sample(GOALS, rng.randint(2, 3)):
        _title, discipline, _levels, steps = template
        goal = goal_from(template, episode, course, staff[lead[discipline]], language)
        goal.save()
        set_at = timezone.make_aware(datetime.combine(course.start, time(9)))
        Goal.objects.filter(pk=goal.pk).update(created_at=set_at)
        done_by = course.start + timedelta(days=rng.randint(10, 40))
        GoalStep.objects.bulk_create(
            GoalStep(
                goal=goal,
                text=in_language(text, language),
                order=n,
                done_on=_if_past(done_by + timedelta(7 * n), course),
            )
            for n, text in enumerate(steps)
        )
        GoalRating.objects.bulk_create(
            fortnightly_reviews(goal, staff[lead[discipline]], course, rng)
        )


def fortnightly_reviews(
    goal: Goal, rater: User, course: Course, rng: random.Random
) -> list[GoalRating]:
    """A clinician's GAS rating every two weeks, rising with the course (unsaved)."""
    ratings = []
    review = course.start + timedelta(days=14)
    while review <= course.end:
        level = round(clip(-1 + 2.6 * course_progress(review, course) + rng.gauss(0, 0.4), -2, 2))
        ratings.append(
            GoalRating(
                goal=goal,
                rated_on=review,
                level=level,
                rater=rater,
                rater_kind=RaterKind.CLINICIAN,
            )
        )
        review += timedelta(days=14)
    return ratings


def _home_program(
    episode: Episode, pt: User, ticker: User, course: Course, rng: random.Random
) -> None:
    """Three or four exercises from the clinic's library, ticked more often as function returns."""
    library = list(Exercise.objects.filter(clinic_id=episode.patient.clinic_id).order_by("id"))
    if not library:
        return
    items = []
    for exercise in rng.sample(library, min(len(library), rng.randint(3, 4))):
        items.append(
            HomeProgramItem(
                episode=episode,
                exercise=exercise,
                added_by=pt,
                start_date=course.start,
                sets=exercise.default_sets,
                reps=exercise.default_reps,
                minutes=exercise.default_minutes or (None if exercise.default_reps else 10),
                add_minutes_per_week=5 if exercise.category == "aerobic" else 0,
                days_per_week=7 if exercise.category != "strength" else 5,
            )
        )
    HomeProgramItem.objects.bulk_create(items)
    logs = []
    day = course.start
    while day <= course.end:
        chance = 0.4 + 0.5 * course_progress(day, course)
        logs += [
            ExerciseLog(item=item, day=day, by=ticker) for item in items if rng.random() < chance
        ]
        day += timedelta(days=1)
    ExerciseLog.objects.bulk_create(logs, batch_size=1000)
