"""Reads of the intake, and who may answer it: the intake page and the writes ask the same."""

from dataclasses import dataclass

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import Episode
from backto.access.patients.respondents import FAMILY_RESPONDENTS, allowed_respondent
from backto.capabilities.exam.intake_queries import (
    BASELINE,
    BaselinePainMap,
    ExamSigns,
    baseline_pain_maps,
    intake_sensory_exam,
)
from backto.capabilities.exam.pain_map_queries import due_in_episode
from backto.capabilities.intake.models import Intake

# A family answers from home before the program starts; after that the care team records changes.
FAMILY_STAGES = (EpisodeState.REFERRED, EpisodeState.INTAKE)


def intake_for(episode: Episode) -> Intake:
    """The episode's intake, unsaved and empty if nobody has started it."""
    return Intake.objects.filter(episode=episode).first() or Intake(episode=episode)


def records_intake(user: User, episode: Episode) -> bool:
    """Whether this person records and confirms the intake as the care team."""
    return has_permission(user, Permission.INTAKE_EDIT, episode.patient)


def family_may_answer(user: User, episode: Episode) -> bool:
    """Whether this person answers the intake as the family: only before the program runs."""
    return (
        has_permission(user, Permission.INTAKE_FAMILY, episode.patient)
        and episode.state in FAMILY_STAGES
    )


@dataclass(frozen=True)
class TallySources:
    """What the exam gives the intake's tallies (docs/program.md, "Where each number comes
    from"): the baseline body map (painful regions, WPI, regions with pain of 5) and the intake's
    sensory exam (`intake_sensory_exam`: the Budapest signs and temperature difference). None
    where there is none yet: the intake's typed values are used instead."""

    pain_map: BaselinePainMap | None = None
    exam: ExamSigns | None = None
    # The other respondents' latest baseline maps: shown beside the one that counts, not counted.
    other_maps: tuple[BaselinePainMap, ...] = ()

    @property
    def other_maps_line(self) -> str:
        """ "Also marked at baseline, not counted: a parent marked 4 painful regions (WPI 4) on
        <day>.", or "" when no other baseline map was marked."""
        if not self.other_maps:
            return ""
        marks = "; ".join(_marked(other) for other in self.other_maps)
        return f"Also marked at baseline, not counted: {marks}."


def _marked(pain_map: BaselinePainMap) -> str:
    day = pain_map.day.isoformat()
    count = pain_map.painful_region_count
    if count == 0:
        return f"{pain_map.marked_by} marked nowhere right now on {day}"
    regions = "painful region" if count == 1 else "painful regions"
    return f"{pain_map.marked_by} marked {count} {regions} (WPI {pain_map.wpi}) on {day}"


def tally_sources(episode_id: int) -> TallySources:
    """The exam's baseline body maps (the one that counts and the others) and the intake's
    sensory exam for this episode: two queries."""
    maps = baseline_pain_maps(episode_id)
    return TallySources(
        pain_map=maps.counting, exam=intake_sensory_exam(episode_id), other_maps=maps.others
    )


def baseline_map_due_for(user: User, episode: Episode) -> str | None:
    """The respondent ("child" or "parent") this family member can mark the baseline body map
    for now (the exam's rule: `pain_map_queries.due_in_episode`), or None: one query. While it is
    due the family's intake sends them to the map rather than asking them to count the areas."""
    respondents = [r for r in FAMILY_RESPONDENTS if allowed_respondent(user, episode.patient, r)]
    if not respondents:
        return None
    due = [p for p in due_in_episode(episode.pk, respondents) if p.timepoint == BASELINE]
    return due[0].respondent if due else None
