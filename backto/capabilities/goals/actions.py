"""Every write to goals, their steps and their ratings (see docs/adr/0001-actions-layer.md)."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.models import Episode
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.goals.models import Goal, GoalRating, GoalStep, RaterKind
from backto.core.updates import apply_update

GOAL_FIELDS = (
    "title",
    "discipline",
    "level_minus_2",
    "level_minus_1",
    "level_0",
    "level_plus_1",
    "level_plus_2",
    "baseline_level",
    "importance",
    "difficulty",
    "target_date",
    "status",
)


STEP_MAX_CHARS = 200  # GoalStep.text: SQLite would store more, PostgreSQL refuses it
STEPS_MAX = 20  # steps written with a new goal; more are added one at a time


def steps_problem(steps: Sequence[str]) -> str:
    """What is wrong with the small steps written with a goal (one per line), or ""."""
    texts = [text.strip() for text in steps if text.strip()]
    for number, text in enumerate(texts, start=1):
        if len(text) > STEP_MAX_CHARS:
            return (
                f"Step {number} has {len(text)} characters: a step has at most {STEP_MAX_CHARS}. "
                "Put each step on its own line."
            )
    if len(texts) > STEPS_MAX:
        return f"Write at most {STEPS_MAX} steps with a new goal; add more on the goal's page."
    return ""


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown goal fields: {sorted(unknown)}")


@transaction.atomic
def goal_create(*, by: User, episode: Episode, steps: Sequence[str] = (), **fields: Any) -> Goal:
    _check_fields(fields)
    if not episode.is_open:
        raise ValidationError("Goals are set for an open episode of care.")
    if problem := steps_problem(steps):
        raise ValidationError({"steps": problem})
    goal = Goal(episode=episode, created_by=by, **fields)
    goal.full_clean()
    goal.save()
    GoalStep.objects.bulk_create(
        GoalStep(goal=goal, text=text.strip(), order=n)
        for n, text in enumerate(steps)
        if text.strip()
    )
    audit(by=by, action=Action.CREATE, obj=goal, patient_id=episode.patient_id)
    return goal


@transaction.atomic
def goal_update(*, by: User, goal: Goal, **fields: Any) -> Goal:
    return apply_update(
        by=by, obj=goal, fields=fields, allowed=GOAL_FIELDS, patient_id=goal.episode.patient_id
    )


@transaction.atomic
def goal_rate(*, by: User, goal: Goal, level: int, rated_on: date, note: str = "") -> GoalRating:
    """Record how far a goal has come on a review day. The care team always may; a family may
    where its clinic allows. One rating per goal, day and kind of rater: a second one replaces
    the first."""
    # The kind says whose rating it is; who may rate is the table's, and the clinic's setting.
    kind = RaterKind.CLINICIAN if by.is_staff_member else RaterKind.FAMILY
    if not (
        Permission.GOAL_EDIT in by.permissions or goal.episode.patient.clinic.family_rates_goals
    ):
        raise PermissionDenied("This clinic has the care team rate goals.")
    if level not in (-2, -1, 0, 1, 2):
        raise ValidationError({"level": "Choose one of −2, −1, 0, +1, +2."})
    if rated_on > timezone.localdate():
        raise ValidationError({"rated_on": "The review date cannot be in the future."})
    if rated_on < timezone.localdate(goal.created_at):
        raise ValidationError({"rated_on": "The review date cannot be before the goal was set."})
    rating, created = GoalRating.objects.update_or_create(
        goal=goal,
        rated_on=rated_on,
        rater_kind=kind,
        defaults={"level": level, "rater": by, "note": note},
    )
    audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        obj=rating,
        patient_id=goal.episode.patient_id,
        detail=f"level {level:+d}",
    )
    return rating


@transaction.atomic
def goal_step_add(*, by: User, goal: Goal, text: str) -> GoalStep:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the step in a few words."})
    if len(text) > STEP_MAX_CHARS:  # it was cut short without a word
        raise ValidationError({"text": f"A step has at most {STEP_MAX_CHARS} characters."})
    order = (goal.steps.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    step = GoalStep.objects.create(goal=goal, text=text, order=order)
    audit(by=by, action=Action.CREATE, obj=step, patient_id=goal.episode.patient_id)
    return step


@transaction.atomic
def goal_step_mark(*, by: User, step: GoalStep, done: bool) -> GoalStep:
    step.done_on = timezone.localdate() if done else None
    step.save(update_fields=["done_on"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=step,
        patient_id=step.goal.episode.patient_id,
        detail="done" if done else "not done",
    )
    return step
