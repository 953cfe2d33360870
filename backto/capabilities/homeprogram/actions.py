"""Every write to the exercise library, home programs and their daily ticks."""

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backto.access.accounts.models import Clinic, User
from backto.access.patients.models import Episode
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.careplan.queries import program_end
from backto.capabilities.homeprogram.models import (
    Category,
    DesensitizationLog,
    Exercise,
    ExerciseLog,
    HomeProgramItem,
)
from backto.capabilities.homeprogram.touch_words import problem_words
from backto.clinical import desensitization
from backto.clinical.desensitization import Tolerated

STARTER = Path(__file__).with_name("starter_exercises.json")
# The dose of an exercise in a home program: what a PT sets when adding it and may change later.
DOSE_FIELDS = (
    "sets",
    "reps",
    "minutes",
    "times_per_day",
    "days_per_week",
    "add_minutes_per_week",
    "max_minutes",
    "progression_note",
)
ITEM_FIELDS = ("exercise", *DOSE_FIELDS, "start_date")
# A change to one of these restarts the weekly progression from the day of the change.
PROGRESSION_FIELDS = ("minutes", "add_minutes_per_week", "max_minutes")


def _require_running(episode: Episode) -> None:
    """A home program changes while its program runs: a dose stops with the episode (at its
    discharge, or when it was withdrawn)."""
    ended = program_end(episode)
    if ended is not None:
        raise ValidationError(
            f"The program ended on {ended:%Y-%m-%d}; its home program stays as it was then."
        )


def _require_dose(fields: dict[str, Any]) -> None:
    if not any(fields.get(k) for k in ("reps", "minutes")):
        raise ValidationError({"minutes": "Give a dose: minutes, or repetitions."})


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
def exercise_words_set(
    *, by: User, exercise: Exercise, language: str, name: str, instructions: str
) -> Exercise:
    """Word an exercise of the acting person's clinic in another language (its name and
    instructions, as a family reading that language sees them; empty: the English)."""
    if exercise.clinic_id != by.clinic_id:
        raise ValidationError("Choose an exercise from this clinic's library.")
    words = {k: v.strip() for k, v in (("name", name), ("instructions", instructions)) if v.strip()}
    translations = {k: v for k, v in exercise.translations.items() if k != language}
    exercise.translations = {**translations, **({language: words} if words else {})}
    exercise.save(update_fields=["translations"])
    audit(by=by, action=Action.UPDATE, obj=exercise, detail=f"words in {language}")
    return exercise


@transaction.atomic
def home_program_add(*, by: User, episode: Episode, **fields: Any) -> HomeProgramItem:
    if set(fields) - set(ITEM_FIELDS):
        raise TypeError(f"unknown fields: {sorted(set(fields) - set(ITEM_FIELDS))}")
    _require_running(episode)
    exercise = fields["exercise"]
    if exercise.clinic_id != episode.patient.clinic_id:
        raise ValidationError({"exercise": "Choose an exercise from this clinic's library."})
    _require_dose(fields)
    item = HomeProgramItem(episode=episode, added_by=by, **fields)
    item.full_clean()
    item.save()
    audit(
        by=by, action=Action.CREATE, obj=item, patient_id=episode.patient_id, detail=exercise.name
    )
    return item


@transaction.atomic
def home_program_edit(
    *, by: User, item: HomeProgramItem, on: date | None = None, **fields: Any
) -> HomeProgramItem:
    """Change an exercise's dose from `on` (today). `minutes` is the dose that day, and a
    weekly progression counts on from it; when the minutes are not given but the progression
    changes, the dose reached by `on` is where it counts on from. Days before `on` are shown
    with the new dose; the audit event keeps the old one."""
    unknown = set(fields) - set(DOSE_FIELDS)
    if unknown:
        raise TypeError(f"unknown dose fields: {sorted(unknown)}")
    on = on or timezone.localdate()
    item = (
        HomeProgramItem.objects.select_for_update()
        .select_related("episode", "exercise")
        .get(pk=item.pk)
    )
    episode = item.episode
    _require_running(episode)
    if item.end_date is not None:
        raise ValidationError(
            f"{item.exercise.name} was stopped on {item.end_date:%Y-%m-%d}: add it again with "
            "the new dose."
        )
    _require_dose({name: fields.get(name, getattr(item, name)) for name in DOSE_FIELDS})
    before = {name: getattr(item, name) for name in DOSE_FIELDS}
    changed = [name for name in DOSE_FIELDS if name in fields and fields[name] != before[name]]
    if not changed:
        return item
    if any(name in PROGRESSION_FIELDS for name in changed):
        if "minutes" not in fields and item.minutes is not None:
            reached = item.minutes_on(on, program_end=None)  # the program runs
            most = fields.get("max_minutes", item.max_minutes)
            fields["minutes"] = min(reached, most) if reached and most else reached
        item.dose_from = max(on, item.start_date)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    changes = ", ".join(
        f"{name} {before[name]}→{getattr(item, name)}"
        for name in DOSE_FIELDS
        if getattr(item, name) != before[name]
    )
    audit(
        by=by,
        action=Action.UPDATE,
        obj=item,
        patient_id=episode.patient_id,
        detail=f"dose changed on {on:%Y-%m-%d}: {changes}",
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
def exercise_tick(
    *,
    by: User,
    item: HomeProgramItem,
    day: date,
    done: bool,
    tolerated: Sequence[Tolerated] = (),
) -> None:
    """Tick (or untick) an exercise as done on a day: today or yesterday, as with the diary. A
    desensitization exercise's tick may also record the textures or stimuli tolerated and for how
    long (`tolerated`, in the family's order; backto/clinical/desensitization.py). A second tick
    of a ticked exercise changes nothing, what it records included: to change a day's textures,
    untick and tick again. Unticking removes the day's textures with the tick."""
    today = timezone.localdate()
    if not (today.toordinal() - 1 <= day.toordinal() <= today.toordinal()):
        raise ValidationError(_("Exercises are ticked for today or yesterday."))
    if not item.active_on(day):
        raise ValidationError(_("That exercise is not in the program on that day."))
    if tolerated and not (done and item.exercise.category == Category.DESENSITIZATION):
        raise ValidationError(
            {"texture_1": _("Textures are recorded only when a desensitization exercise is done.")}
        )
    errors: dict[str, list[str]] = {}
    for problem in desensitization.problems(tolerated):
        errors.setdefault(f"{problem.field}_{problem.row}", []).append(problem_words(problem))
    if errors:
        raise ValidationError(errors)
    if done:
        try:
            with transaction.atomic():
                log = ExerciseLog.objects.create(item=item, day=day, by=by)
        except IntegrityError:
            return  # already ticked: a second tap changes nothing
        DesensitizationLog.objects.bulk_create(
            DesensitizationLog(log=log, stimulus=t.code, other=t.other.strip(), minutes=t.minutes)
            for t in tolerated
        )
    else:
        ExerciseLog.objects.filter(item=item, day=day).delete()
    # The event says how many textures were kept, never which or for how long: those are the
    # family's answers, and an audit detail holds no answer (docs/permissions.md).
    noted = f"{len(tolerated)} texture{'s' if len(tolerated) != 1 else ''}" if tolerated else ""
    audit(
        by=by,
        action=Action.UPDATE,
        obj=item,
        patient_id=item.episode.patient_id,
        detail=f"{'done' if done else 'not done'} {day.isoformat()}"
        + (f" ({noted})" if noted else ""),
    )
