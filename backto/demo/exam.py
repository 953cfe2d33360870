"""The demo's body maps, sensory exams and desensitization practice (issue #19), following the
recovery pattern of CLINICAL.md: function returns first, and in responders the area sensitive to
touch and the places that bother the child shrink over the weeks; in the others they barely move.

Each child draws from their own random source, so adding these records leaves every other draw of
the demo as it was. The maps are kept at the questionnaire points the family answered (the child's
and the parent's, as the clinical core works them out); the exams every two weeks with the
functional tests; the texture practice climbs the ladder of backto/clinical/desensitization.py as
the allodynia area shrinks."""

import random
import uuid
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import Episode
from backto.access.patients.respondents import FAMILY_RESPONDENTS
from backto.capabilities.exam.models import PainMap
from backto.capabilities.exam.pain_map_actions import pain_map_result
from backto.capabilities.exam.sensory_actions import sensory_exam_record
from backto.capabilities.homeprogram.models import (
    Category,
    DesensitizationLog,
    Exercise,
    ExerciseLog,
    HomeProgramItem,
)
from backto.capabilities.measures.models import Administration, AdminState
from backto.clinical.desensitization import LADDER

# Where it started, for a child: regions from the most sensitive outwards, so that a shrinking
# area keeps its centre. Localized (one limb) for most, diffuse for some (CLINICAL.md).
_SIDES = ("left", "right")


def _limb_regions(side: str, leg: bool) -> list[str]:
    if leg:
        parts = (
            "foot-{s}-front",
            "toes-{s}-front",
            "foot-{s}-back",
            "ankle-{s}-front",
            "ankle-{s}-back",
            "lower-leg-{s}-front",
            "lower-leg-{s}-back",
            "knee-{s}-front",
            "knee-{s}-back",
            "thigh-{s}-front",
        )
    else:
        parts = (
            "hand-{s}-front",
            "hand-{s}-back",
            "fingers-{s}-front",
            "wrist-{s}-front",
            "wrist-{s}-back",
            "forearm-{s}-front",
            "forearm-{s}-back",
            "elbow-{s}-front",
            "elbow-{s}-back",
            "upper-arm-{s}-front",
        )
    return [part.format(s=side) for part in parts]


def _diffuse_regions(rng: random.Random) -> list[str]:
    side = rng.choice(_SIDES)
    other = "left" if side == "right" else "right"
    return [
        *_limb_regions(side, leg=True)[:7],
        "lower-back",
        "upper-back",
        "neck-back",
        f"thigh-{other}-front",
        f"lower-leg-{other}-front",
        f"shoulder-{side}-back",
        f"upper-arm-{side}-front",
        "upper-abdomen",
    ]


def _start_regions(rng: random.Random) -> list[str]:
    if rng.random() < 0.25:
        return _diffuse_regions(rng)
    return _limb_regions(rng.choice(_SIDES), leg=rng.random() < 0.7)


def _share(regions: Sequence[str], left: float) -> list[str]:
    """The first part of the area, `left` of it (0 to 1): what is still sensitive."""
    return list(regions[: round(len(regions) * max(0.0, min(1.0, left)))])


def add_exams(
    *,
    episode: Episode,
    progress: Callable[[date], float],
    start: date,
    end: date,
    pt: User,
    child_writer: User,
    parent: User,
    today: date,
    rng: random.Random,
) -> None:
    """The body maps, sensory exams and texture practice of one child's program; `progress(day)`
    is how far the program has worked on that day (0 to 1, the demo's course)."""
    where = _start_regions(rng)
    _pain_maps(episode, where, progress, child_writer, parent, rng)
    _sensory_exams(episode, where, progress, start, min(today, end), pt, rng)
    _texture_practice(episode, pt, child_writer, progress, start, end, rng)


def _pain_maps(
    episode: Episode,
    where: list[str],
    progress: Callable[[date], float],
    child_writer: User,
    parent: User,
    rng: random.Random,
) -> None:
    """A map at each questionnaire point the family answered, by the child and by a parent (who
    sees a little more of it than the child says)."""
    points = (
        Administration.objects.filter(
            episode=episode, state=AdminState.COMPLETED, respondent__in=FAMILY_RESPONDENTS
        )
        .order_by("due_on")
        .values_list("respondent", "timepoint", "label", "completed_at")
    )
    seen: set[tuple[str, str, str]] = set()
    maps = []
    for respondent, timepoint, label, completed_at in points:
        if (respondent, timepoint, label) in seen or completed_at is None:
            continue
        seen.add((respondent, timepoint, label))
        day = timezone.localdate(completed_at)
        left = 1 - 0.9 * progress(day) + rng.gauss(0, 0.05)
        regions = sorted(_share(where, left + (0.1 if respondent == "parent" else 0)))
        result = pain_map_result(regions)
        maps.append(
            PainMap(
                episode=episode,
                respondent=respondent,
                timepoint=timepoint,
                label=label,
                day=day,
                regions=regions,
                result=result,
                painful_region_count=result["painful_region_count"],
                submission_key=uuid.UUID(int=rng.getrandbits(128)),
                recorded_by=child_writer if respondent == "child" else parent,
            )
        )
    PainMap.objects.bulk_create(maps)


def _sensory_exams(
    episode: Episode,
    where: list[str],
    progress: Callable[[date], float],
    start: date,
    last: date,
    pt: User,
    rng: random.Random,
) -> None:
    """The PT's exam every two weeks with the functional tests: brush allodynia over most of the
    sore area, cold over its centre, a cooler affected side, all fading as the program works."""
    touchy = where[: max(3, len(where) * 2 // 3)]
    side = next((s for s in _SIDES if any(f"-{s}-" in r for r in where)), "right")
    site = "foot dorsum" if any(r.startswith(("foot", "toes", "ankle")) for r in where) else "hand"
    day = start
    while day <= last:
        gain = progress(day)
        brush = sorted(_share(touchy, 1 - gain + rng.gauss(0, 0.04)))
        cold = sorted(_share(touchy[:3], 1 - 1.2 * gain))
        difference = max(0.2, 2.2 * (1 - gain) + rng.gauss(0, 0.2))
        other_c = round(rng.uniform(31.0, 32.5), 1)
        findings: list[dict[str, object]] = [
            {
                "stimulus": "brush",
                "regions": brush,
                "evoked_pain": round(7 * (1 - gain)) if brush else None,
            },
            {
                "stimulus": "cold",
                "regions": cold,
                "evoked_pain": round(6 * (1 - gain)) if cold else None,
            },
        ]
        sore = gain < 0.5
        sensory_exam_record(
            by=pt,
            episode=episode,
            day=day,
            findings=findings,
            signs={
                "affected_side": side,
                "temperatures": [
                    {
                        "site": site,
                        "affected_c": str(round(other_c - difference, 1)),
                        "other_c": str(other_c),
                    }
                ],
                "colour_change": "yes" if sore else "no",
                "colour": "mottled" if sore else "",
                "swelling": "no",
                "sweating_change": "no",
                "trophic_change": "no",
                "reduced_range_of_motion": "yes" if gain < 0.3 else "no",
                "weakness": "yes" if gain < 0.4 else "no",
                "tremor": "no",
                "dystonia": "no",
            },
            submission_key=uuid.UUID(int=rng.getrandbits(128)),
        )
        day += timedelta(weeks=2)


def _texture_practice(
    episode: Episode,
    pt: User,
    ticker: User,
    progress: Callable[[date], float],
    start: date,
    end: date,
    rng: random.Random,
) -> None:
    """A texture rub in the home program, ticked most days with the texture tolerated and for how
    long: up the ladder, from silk towards the brush, as the area shrinks."""
    exercise = (
        Exercise.objects.filter(
            clinic_id=episode.patient.clinic_id, category=Category.DESENSITIZATION
        )
        .order_by("id")
        .first()
    )
    if exercise is None:
        return
    item = HomeProgramItem.objects.filter(episode=episode, exercise=exercise).first()
    if item is None:
        item = HomeProgramItem.objects.create(
            episode=episode,
            exercise=exercise,
            added_by=pt,
            start_date=start,
            minutes=5,
            times_per_day=2,
            days_per_week=7,
        )
    ticked = set(ExerciseLog.objects.filter(item=item).values_list("day", flat=True))
    logs, textures = [], []
    day = start
    while day <= end:
        gain = progress(day)
        if day not in ticked and rng.random() < 0.45 + 0.45 * gain:
            rung = min(len(LADDER) - 1, int(gain * (len(LADDER) - 1) + rng.random() * 1.2))
            log = ExerciseLog(item=item, day=day, by=ticker)
            logs.append(log)
            minutes = max(1, min(15, round(2 + 8 * gain + rng.gauss(0, 1))))
            textures.append((log, LADDER[rung].code, minutes))
            if rung > 0 and rng.random() < 0.5:  # the one before it too, as a warm-up
                textures.append((log, LADDER[rung - 1].code, max(1, minutes // 2)))
        day += timedelta(days=1)
    ExerciseLog.objects.bulk_create(logs)
    DesensitizationLog.objects.bulk_create(
        DesensitizationLog(log=log, stimulus=code, minutes=minutes)
        for log, code, minutes in textures
    )
