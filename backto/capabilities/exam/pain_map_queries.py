"""Reads of the body map the family marks ("where it bothered you"): when one is due, the maps of
an episode, and the heat map of a period. Each read is a fixed number of queries however many maps
or children there are.

When a map is open and due (docs/pain-map.md): a questionnaire point is open for a respondent's
map over the point's window, from the day its questionnaires of that respondent fall due until
they are all missed or cancelled, or a later point of that respondent falls due, or the episode
ends. Completing the questionnaires does not close it: a family that answers them first still
marks the map, and a map left open in a second tab is still kept. In states of the measures'
questionnaires (`backto.capabilities.measures`): the episode is open, a questionnaire of the
respondent at the point is due, started or completed, and no questionnaire of the respondent at
a later point (a later due day) is due, started, completed or missed. A map is due where the
point is open and no map of that respondent exists there (timepoint and label). The baseline
point is the intake one. Never daily.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet

from backto.access.patients.lifecycle import OPEN_STATES
from backto.access.patients.respondents import FAMILY_RESPONDENTS, Respondent
from backto.capabilities.exam.body_map_drawing import region_label
from backto.capabilities.exam.models import PainMap
from backto.capabilities.exam.queries import (
    MapPoint,
    map_point,
    pain_map_series_of,
    pain_maps_for,
)
from backto.capabilities.measures.models import AdminState
from backto.capabilities.measures.queries import Administration, family_respondents
from backto.core.fixed_sql import fixed_query

# A point's questionnaire in one of these states has fallen due and still holds the point open.
WINDOW_STATES = (AdminState.DUE, AdminState.IN_PROGRESS, AdminState.COMPLETED)
# A later point's questionnaire in one of these states has fallen due: the earlier point closes.
REACHED_STATES = (*WINDOW_STATES, AdminState.MISSED)


@dataclass(frozen=True)
class DuePoint:
    """A questionnaire point where a family respondent's map is due."""

    episode_id: int
    patient_id: int
    respondent: str
    timepoint: str
    label: str
    due_on: date


@dataclass(frozen=True)
class _Row(DuePoint):
    """A questionnaire of a family respondent, as the rule reads it: its point and its state."""

    state: str


def _reached(*conditions: Q, **filters: Any) -> QuerySet[Any]:
    """The family respondents' questionnaires that have fallen due (REACHED_STATES) in open
    episodes, as `_Row` values: one plain query. The rule reads them in Python (`_open`): a query
    holding it as nested conditions cost more to build than the database took to answer it."""
    return (
        Administration.objects.filter(
            *conditions,
            state__in=REACHED_STATES,
            respondent__in=FAMILY_RESPONDENTS,
            episode__state__in=OPEN_STATES,
            **filters,
        )
        .order_by()
        .values_list(
            "episode_id",
            "episode__patient_id",
            "respondent",
            "timepoint",
            "label",
            "due_on",
            "state",
        )
    )


def _rows(*conditions: Q, **filters: Any) -> list[_Row]:
    return [_Row(*row) for row in _reached(*conditions, **filters)]


@fixed_query
def _family_reached(teen: bool, *, patient_ids: list[int]) -> QuerySet[Any]:
    return _reached(family_respondents(teen=teen), episode__patient_id__in=patient_ids)


def _open(rows: list[_Row]) -> list[DuePoint]:
    """The points open now (the module's rule), once each at their first due day, oldest first:
    a point's questionnaire of a respondent is due, started or completed, and no questionnaire of
    that respondent at a later point (another timepoint or label, due later) has fallen due."""
    by_respondent: dict[tuple[int, str], list[_Row]] = {}
    for row in rows:
        by_respondent.setdefault((row.episode_id, row.respondent), []).append(row)
    found: dict[tuple[int, int, str, str, str], date] = {}
    for row in rows:
        if row.state not in WINDOW_STATES:
            continue
        if any(
            other.due_on > row.due_on
            and (other.timepoint, other.label) != (row.timepoint, row.label)
            for other in by_respondent[(row.episode_id, row.respondent)]
        ):
            continue
        key = (row.episode_id, row.patient_id, row.respondent, row.timepoint, row.label)
        found[key] = min(found.get(key, row.due_on), row.due_on)
    points = [DuePoint(*key, due_on=due_on) for key, due_on in found.items()]
    return sorted(
        points, key=lambda p: (p.due_on, p.episode_id, p.respondent, p.timepoint, p.label)
    )


@fixed_query
def _maps_kept(*, episode_ids: list[int]) -> QuerySet[Any]:
    return PainMap.objects.filter(episode_id__in=episode_ids).values_list(
        "episode_id", "respondent", "timepoint", "label"
    )


def _mapped(episode_ids: Iterable[int]) -> set[tuple[int, str, str, str]]:
    """(episode, respondent, timepoint, label) of every map kept in these episodes: one query."""
    return set(_maps_kept(episode_ids=list(episode_ids)))


def _without_map(points: list[DuePoint], mapped: set[tuple[int, str, str, str]]) -> list[DuePoint]:
    return [p for p in points if (p.episode_id, p.respondent, p.timepoint, p.label) not in mapped]


def _due(points: list[DuePoint]) -> list[DuePoint]:
    """The open points without a map of their respondent (one query, none without points)."""
    if not points:
        return []
    return _without_map(points, _mapped({p.episode_id for p in points}))


def due_for_family(user: Any, patient_ids: Sequence[int]) -> dict[int, list[DuePoint]]:
    """The maps this family member can mark now, per child, oldest point first: two queries. The
    respondent rule is the questionnaires' (a teen their own; a guardian the parent's, and the
    child's for a child without an account of their own)."""
    rows = [_Row(*row) for row in _family_reached(user.is_teen, patient_ids=list(patient_ids))]
    found: dict[int, list[DuePoint]] = {}
    for point in _due(_open(rows)):
        found.setdefault(point.patient_id, []).append(point)
    return found


def due_in_episode(episode_id: int, respondents: Iterable[str]) -> list[DuePoint]:
    """The maps due in one episode for these respondents, oldest point first: two queries."""
    wanted = [r for r in respondents if r in FAMILY_RESPONDENTS]
    return _due(_open(_rows(Q(respondent__in=wanted), episode_id=episode_id)))


def point_is_open(episode_id: int, respondent: str, timepoint: str, label: str) -> bool:
    """Whether this point is open for this respondent's map now (the module's rule; whether a
    map is already kept there is not asked): one query. A clinician's map is open at a point
    open for the child's or a parent's."""
    return any(
        (p.timepoint, p.label) == (timepoint, label)
        and (respondent == Respondent.CLINICIAN or p.respondent == respondent)
        for p in _open(_rows(episode_id=episode_id))
    )


def due_for_care_team(episode_id: int) -> list[DuePoint]:
    """The maps the care team may record now, oldest point first: the family's maps due (entered
    from paper) and, at each point open for the family, the clinician's own when none is kept
    there yet (one per point, respondent "clinician"). Two queries."""
    points = _open(_rows(episode_id=episode_id))
    if not points:
        return []
    mapped = _mapped([episode_id])
    family = _without_map(points, mapped)
    own: dict[tuple[str, str], DuePoint] = {}
    for p in points:  # oldest first: the clinician's map at a point's first due day
        if (episode_id, Respondent.CLINICIAN, p.timepoint, p.label) not in mapped:
            own.setdefault(
                (p.timepoint, p.label),
                DuePoint(
                    episode_id, p.patient_id, Respondent.CLINICIAN, p.timepoint, p.label, p.due_on
                ),
            )
    order = {r: i for i, r in enumerate(Respondent.values)}
    found = family + list(own.values())
    return sorted(found, key=lambda p: (p.due_on, p.timepoint, p.label, order[p.respondent]))


# --- The care team's page -------------------------------------------------------------------


@dataclass(frozen=True)
class MapRow(MapPoint):
    """One map as the care team's page lists it: the exam's `MapPoint` (exam/queries.py, built
    from the same row by the same code) with what the page adds, the core's grouping as it was
    stored and who marked it."""

    distribution: str | None = None
    generalized_pain: bool = False
    marked_by: str = ""  # the account's name
    by_staff: bool = False  # a family's map entered by the care team (from paper)

    @property
    def pk(self) -> int:
        return self.map_id

    @property
    def respondent_label(self) -> str:
        return Respondent(self.respondent).label


@dataclass(frozen=True)
class EpisodeMaps:
    """Every map of an episode, oldest first, and the exam's lines of them (exam/queries.py
    `pain_map_series_of`: the family's, one map per point, the child's else a parent's; the
    clinicians' apart) as rows of the page."""

    rows: list[MapRow]
    family: list[MapRow]
    clinician: list[MapRow]


def episode_maps(episode_id: int) -> EpisodeMaps:
    """Every map of the episode, oldest first, with who marked it, and its lines: one query."""
    stored = list(
        PainMap.objects.filter(episode_id=episode_id)
        .select_related("recorded_by")
        .order_by("day", "id")
    )
    rows = [
        MapRow(
            **asdict(map_point(row)),
            distribution=row.result.get("distribution"),
            generalized_pain=bool(row.result.get("generalized_pain")),
            marked_by=row.recorded_by.name,
            by_staff=row.respondent != Respondent.CLINICIAN and row.recorded_by.is_staff_member,
        )
        for row in stored
    ]
    by_id = {row.map_id: row for row in rows}
    series = pain_map_series_of(stored)
    return EpisodeMaps(
        rows=rows,
        family=[by_id[p.map_id] for p in series.family],
        clinician=[by_id[p.map_id] for p in series.clinician],
    )


@dataclass(frozen=True)
class HeatMap:
    """How often each region was marked among the maps of a period: `counts[region]` of `total`
    maps; `share(region)` is that fraction (0 when there is no map)."""

    start: date | None
    end: date | None
    total: int
    counts: dict[str, int] = field(default_factory=dict)

    def share(self, region_id: str) -> Fraction:
        if not self.total:
            return Fraction(0)
        return Fraction(self.counts.get(region_id, 0), self.total)

    def fills(self) -> dict[str, float]:
        """Region id to share (0..1) for `body_map_drawing.body_map_svg`, marked regions only."""
        return {region_id: float(self.share(region_id)) for region_id in self.counts}

    def rows(self, labels: Mapping[str, str]) -> list[tuple[str, str, int, int]]:
        """(region id, label, maps that marked it, percent) for the data table, most marked
        first, then in the drawing's order (a region no longer on the map last, by id, labelled
        with its id)."""
        order = {region_id: index for index, region_id in enumerate(labels)}
        ranked = sorted(self.counts, key=lambda r: (-self.counts[r], order.get(r, len(order)), r))
        return [
            (r, region_label(r, labels), self.counts[r], round(self.share(r) * 100)) for r in ranked
        ]


def heat_map(
    maps: Iterable[MapRow],
    *,
    start: date | None = None,
    end: date | None = None,
    respondent: str = "",
) -> HeatMap:
    """The share of maps from `start` to `end` (both days included; None: open) that marked each
    region, of one respondent's maps or (`respondent` empty) everyone's. Works on maps already
    read (`episode_maps`), so it adds no query."""
    chosen = [
        m
        for m in maps
        if (start is None or m.day >= start)
        and (end is None or m.day <= end)
        and (not respondent or m.respondent == respondent)
    ]
    counts: Counter[str] = Counter()
    for m in chosen:
        counts.update(set(m.regions))
    return HeatMap(start=start, end=end, total=len(chosen), counts=dict(counts))


# Whose maps the first-and-latest compares, by the period form's choice (PeriodForm.respondent).
COMPARED = {
    "": "the family's maps: at each check-in the child's own map, else a parent's",
    "child": "the child's own maps",
    "parent": "a parent's maps",
    "clinician": "a clinician's maps",
}


def line(maps: EpisodeMaps, respondent: str = "") -> list[MapRow]:
    """The maps of one line, oldest first: with `respondent` empty the family's line (the exam's
    rule: at each point the child's map, else a parent's; never a parent's map beside the
    child's at one point), else that respondent's maps (a clinician's never mixed in)."""
    if not respondent:
        return maps.family
    if respondent == Respondent.CLINICIAN:
        return maps.clinician
    return [m for m in maps.rows if m.respondent == respondent]


def first_and_latest(maps: EpisodeMaps, respondent: str = "") -> tuple[MapRow, MapRow] | None:
    """The first and the latest map of a line (`line`), or None with fewer than two."""
    chosen = line(maps, respondent)
    if len(chosen) < 2:
        return None
    return chosen[0], chosen[-1]


@dataclass(frozen=True)
class MapSummary:
    """An episode's first and latest map on the family's line (exam/queries.py `pain_maps_for`:
    at each questionnaire point the child's map, else a parent's), for the overview card."""

    first: MapPoint
    latest: MapPoint
    maps: int  # the family's points with a map

    compares = COMPARED[""]


def summaries_for(episode_ids: Iterable[int]) -> dict[int, MapSummary]:
    """For each episode with a family map, the first and latest of its family line: one query."""
    return {
        episode_id: MapSummary(
            first=series.family[0], latest=series.family[-1], maps=len(series.family)
        )
        for episode_id, series in pain_maps_for(list(episode_ids)).items()
        if series.family
    }
