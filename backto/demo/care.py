"""Demo care records: a confirmed intake, the care plan in force and its sessions."""

import random
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import Episode
from backto.capabilities.careplan.dose import session_doses_refresh
from backto.capabilities.careplan.models import (
    CarePlan,
    PlanDose,
    PlanState,
    Setting,
    TherapySession,
)
from backto.capabilities.intake.models import Intake
from backto.capabilities.intake.screening_forms import FEATURE_ITEMS, RED_FLAGS


def demo_intake(*, episode: Episode, physician: User, rng: random.Random, start: date) -> None:
    """A confirmed intake: history, screening and red flags checked and clear."""
    regions = episode.painful_region_count or 1
    screening: dict[str, dict[str, Any]] = {
        item.key: {"answer": rng.choice(["yes", "yes", "yes", "no", "unknown"]), "note": ""}
        for item in FEATURE_ITEMS
    }
    screening["distribution"] = {"answer": "yes", "value": regions}
    screening["pattern"] = {
        "answer": "yes",
        "value": episode.pain_pattern if episode.pain_pattern != "unknown" else "constant",
    }
    Intake.objects.create(
        episode=episode,
        onset_date=start - timedelta(days=rng.randint(95, 420)),
        trigger=rng.choice(["injury", "illness", "none_known", "stress"]),
        prior_treatments="Rest, a brace, physical therapy elsewhere",
        medicines="Ibuprofen, with little change",
        workup="Blood tests and X-rays normal",
        screening=screening,
        red_flags={flag.key: {"answer": "no", "note": ""} for flag in RED_FLAGS},
        confirmed_by=physician,
        confirmed_at=timezone.make_aware(datetime.combine(start + timedelta(days=9), time(12))),
    )


DOSE_INTENSIVE = {"pt": 5, "ot": 5, "counseling": 3}  # sessions a week per discipline
DOSE_OUTPATIENT = {"pt": 2, "ot": 1, "counseling": 1}
DEMO_LEADS = {"pt": "demo-pt", "ot": "demo-ot", "counseling": "demo-counselor"}  # by discipline


def care_plan_rows(
    episode: Episode, *, intensive: bool, active: bool, leads: Mapping[str, User]
) -> tuple[CarePlan, list[PlanDose], dict[str, int]]:
    """A care plan (unsaved) with one dose per therapy led by `leads[discipline]`, and the
    sessions a week each therapy plans: shared by the demo and `backto synth`."""
    plan = CarePlan(
        episode=episode,
        version=1,
        state=PlanState.ACTIVE if active else PlanState.COMPLETED,
        created_by=leads["pt"],
        setting=Setting.INTENSIVE if intensive else Setting.OUTPATIENT,
        program_weeks=4 if intensive else 8,
    )
    per_week = DOSE_INTENSIVE if intensive else DOSE_OUTPATIENT
    doses = [
        PlanDose(
            plan=plan,
            discipline=discipline,
            sessions_per_week=n,
            minutes_per_session=60,
            lead=leads[discipline],
        )
        for discipline, n in per_week.items()
    ]
    return plan, doses, per_week


def session_rows(
    episode: Episode,
    per_week: Mapping[str, int],
    clinicians: Mapping[str, User],
    *,
    start: date,
    end: date,
    rng: random.Random,
    notes: bool,
) -> list[TherapySession]:
    """Weekday sessions from `start` to `end` at the planned rate, nine in ten attended; with
    `notes`, each attended one has a short note and all but the last day's are signed."""
    sessions = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            for discipline, n in per_week.items():
                if rng.random() < n / 5:
                    clinician = clinicians[discipline]
                    attended = rng.random() < 0.9
                    signed = notes and day < end
                    sessions.append(
                        TherapySession(
                            episode=episode,
                            date=day,
                            discipline=discipline,
                            clinician=clinician,
                            minutes=60,
                            attended=attended,
                            subjective="Reports doing more at home." if notes and attended else "",
                            plan="Continue the home program; progress walking."
                            if notes and attended
                            else "",
                            signed_at=timezone.make_aware(datetime.combine(day, time(17)))
                            if signed
                            else None,
                            signed_by=clinician if signed else None,
                        )
                    )
        day += timedelta(days=1)
    return sessions


def demo_plan_and_sessions(
    episode: Episode, staff: dict[str, User], start: date, last_day: date, rng: random.Random
) -> None:
    """The care plan in force and its sessions, mostly attended, with signed notes."""
    intensive = rng.random() < 0.4
    leads = {d: staff[name] for d, name in DEMO_LEADS.items()}
    plan, doses, per_week = care_plan_rows(
        episode, intensive=intensive, active=episode.state == EpisodeState.ACTIVE, leads=leads
    )
    plan.save()
    PlanDose.objects.bulk_create(doses)
    end = min(last_day, start + timedelta(weeks=plan.program_weeks))
    sessions = session_rows(episode, per_week, leads, start=start, end=end, rng=rng, notes=True)
    TherapySession.objects.bulk_create(sessions, batch_size=500)
    session_doses_refresh([episode.pk])
