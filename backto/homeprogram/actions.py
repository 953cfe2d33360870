"""Every write to the exercise library, home programs and their daily ticks."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from backto.accounts.models import Clinic, User
from backto.audit.log import audit
from backto.audit.models import Action
from backto.homeprogram.models import Exercise, ExerciseLog, HomeProgramItem
from backto.patients.models import Episode

STARTER = Path(__file__).with_name("starter_exercises.json")
ITEM_FIELDS = (
    "exercise",
    "sets",
    "reps",
    "minutes",
    "times_per_day",
    "days_per_week",
    "add_minutes_per_week",
    "progression_note",
    "start_date",
)


@transaction.atomic
def starter_library_load(*, clinic: Clinic, by: User | None = None) -> int:
    """Add the project's starter exercises a clinic does not have yet; returns how many. `by`
    is None when the demo or synthetic data builds a clinic (nobody did it)."""
    have = set(Exercise.objects.filter(clinic=clinic).values_list("name", flat=True))
    new = [
        Exercise(clinic=clinic, **entry)
        for entry in json.loads(STARTER.read_text())
        if entry["name"] not in have
    ]
    Exercise.objects.bulk_create(new)
    if new and by is not None:
        audit(by=by, action=Action.CREATE, object_type="exercise", detail=f"{len(new)} starter")
    return len(new)


@transaction.atomic
def exercise_add(*, by: User, exercise: Exercise) -> Exercise:
    """Add an exercise (from the library form) to the acting person's clinic."""
    exercise.clinic = by.clinic
    exercise.full_clean()
    exercise.save()
    audit(by=by, action=Action.CREATE, obj=exercise, detail=exercise.name)
    return exercise


@transaction.atomic
def home_program_add(*, by: User, episode: Episode, **fields: Any) -> HomeProgramItem:
    if set(fields) - set(ITEM_FIELDS):
        raise TypeError(f"unknown fields: {sorted(set(fields) - set(ITEM_FIELDS))}")
    if not episode.is_open:
        raise ValidationError("The episode has ended; its home program can no longer change.")
    exercise = fields["exercise"]
    if exercise.clinic_id != episode.patient.clinic_id:
        raise ValidationError({"exercise": "Choose an exercise from this clinic's library."})
    if not any(fields.get(k) for k in ("reps", "minutes")):
        raise ValidationError({"minutes": "Give a dose: minutes, or repetitions."})
    item = HomeProgramItem(episode=episode, added_by=by, **fields)
    item.full_clean()
    item.save()
    audit(
        by=by, action=Action.CREATE, obj=item, patient_id=episode.patient_id, detail=exercise.name
    )
    return item


@transaction.atomic
def home_program_stop(*, by: User, item: HomeProgramItem, on: date | None = None) -> None:
    """Take an exercise out of the program from today; one already stopped stays as it was."""
    item = HomeProgramItem.objects.select_for_update().select_related("episode").get(pk=item.pk)
    if item.end_date is not None:
        raise ValidationError(f"This exercise was already stopped on {item.end_date:%Y-%m-%d}.")
    item.end_date = on or timezone.localdate()
    item.save(update_fields=["end_date"])
    audit(
        by=by, action=Action.UPDATE, obj=item, patient_id=item.episode.patient_id, detail="stopped"
    )


@transaction.atomic
def exercise_tick(*, by: User, item: HomeProgramItem, day: date, done: bool) -> None:
    """Tick (or untick) an exercise as done on a day: today or yesterday, as with the diary."""
    today = timezone.localdate()
    if not (today.toordinal() - 1 <= day.toordinal() <= today.toordinal()):
        raise ValidationError("Exercises are ticked for today or yesterday.")
    if not item.active_on(day):
        raise ValidationError("That exercise is not in the program on that day.")
    if done:
        try:
            with transaction.atomic():
                ExerciseLog.objects.create(item=item, day=day, by=by)
        except IntegrityError:
            return  # already ticked: a second tap changes nothing
    else:
        ExerciseLog.objects.filter(item=item, day=day).delete()
    audit(
        by=by,
        action=Action.UPDATE,
        obj=item,
        patient_id=item.episode.patient_id,
        detail=f"{'done' if done else 'not done'} {day.isoformat()}",
    )
