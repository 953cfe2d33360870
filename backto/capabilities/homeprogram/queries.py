"""Today's checklist, adherence by week (planned days against ticked days), and the
desensitization log's progression by week."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from backto.access.patients.models import Episode
from backto.capabilities.careplan.queries import program_end
from backto.capabilities.homeprogram.models import Category, ExerciseLog, HomeProgramItem
from backto.capabilities.homeprogram.touch_words import noted_words, week_in_words
from backto.clinical.desensitization import (
    Tolerated,
    WeekProgress,
    week_progress,
    week_start,
)
from backto.core.fixed_sql import fixed_query


@dataclass(frozen=True)
class ChecklistRow:
    item: HomeProgramItem
    dose: str
    done: bool
    # A ticked desensitization exercise's textures that day, as the family reads them
    # ("Soft towel, 5 minutes"), in the order they were recorded.
    noted: tuple[str, ...] = ()

    @property
    def is_desensitization(self) -> bool:
        return self.item.exercise.category == Category.DESENSITIZATION


def checklist(episode: Episode, day: date) -> list[ChecklistRow]:
    """The exercises in the program on `day`, with their dose that day (held at the dose of the
    day the program ended, once it has) and the textures noted with a desensitization tick: two
    queries, three for an ended program."""
    ended = program_end(episode)
    items = [
        i
        for i in HomeProgramItem.objects.filter(episode=episode).select_related("exercise")
        if i.active_on(day)
    ]
    done: set[int] = set()
    noted: dict[int, list[str]] = {}
    for item_id, code, other, minutes in (
        ExerciseLog.objects.filter(item__in=items, day=day)
        .order_by("item_id", "tolerated__id")
        .values_list("item_id", "tolerated__stimulus", "tolerated__other", "tolerated__minutes")
    ):
        done.add(item_id)
        if code is not None:
            noted.setdefault(item_id, []).append(noted_words(code, other, minutes))
    return [
        ChecklistRow(
            item=i,
            dose=i.dose_on(day, program_end=ended),
            done=i.pk in done,
            noted=tuple(noted.get(i.pk, ())),
        )
        for i in items
    ]


@fixed_query
def _desensitization_logs(*, episode_id: int, since: date) -> QuerySet[Any]:
    return (
        ExerciseLog.objects.filter(
            item__episode_id=episode_id,
            item__exercise__category=Category.DESENSITIZATION,
            day__gte=since,
        )
        .order_by("day", "tolerated__id")
        .values_list("day", "tolerated__stimulus", "tolerated__other", "tolerated__minutes")
    )


def desensitization_progress(episode_id: int, *, since: date | None = None) -> list[WeekProgress]:
    """The desensitization log by week (Monday to Sunday), oldest first, over the weeks in which
    a desensitization exercise of the episode's home program was ticked: the roughest texture on
    the ladder tolerated and the longest time at it, the longest time at any one texture or
    stimulus, the other stimuli, and the days ticked (backto.clinical.desensitization
    .week_progress has the rule); from the week of `since` when given. One query, however many
    weeks and ticks."""
    rows = _desensitization_logs(
        episode_id=episode_id, since=week_start(since) if since is not None else date.min
    )
    return week_progress(
        (day for day, *_ in rows),
        (
            (day, Tolerated(code, minutes, other))
            for day, code, other, minutes in rows
            if code is not None
        ),
    )


def desensitization_words(weeks: list[WeekProgress], *, today: date, name: str | None) -> list[str]:
    """This week's and last week's touch practice in the family's words, in the active language
    (about the child, `name`, or to the teen, None); nothing for a week without a tick."""
    by_start = {w.week_start: w for w in weeks}
    this = week_start(today)
    words = []
    for start, this_week in ((this, True), (this - timedelta(weeks=1), False)):
        if start in by_start:
            words.append(week_in_words(by_start[start], name=name, this_week=this_week))
    return words


@dataclass(frozen=True)
class WeekAdherence:
    week_start: date
    planned: int
    done: int

    @property
    def percent(self) -> int | None:
        return round(100 * min(self.done, self.planned) / self.planned) if self.planned else None


@fixed_query
def _items(*, episode_id: int) -> QuerySet[HomeProgramItem]:
    return HomeProgramItem.objects.filter(episode_id=episode_id)


@fixed_query
def _ticks(*, episode_id: int) -> QuerySet[Any]:
    return ExerciseLog.objects.filter(item__episode_id=episode_id).values_list("item_id", "day")


def adherence_by_week(episode: Episode, *, until: date, weeks: int = 8) -> list[WeekAdherence]:
    """For each of the last `weeks` weeks (Monday to Sunday) up to `until`, or up to the day the
    program ended if that came first (no day after it counts): how many exercise-days were
    planned (each exercise counts its days a week, limited to the days it was in the program)
    and how many were ticked. Two queries however long the program, three once it has ended."""
    ended = program_end(episode)
    if ended is not None:
        until = min(until, ended)
    items = _items(episode_id=episode.pk)
    logs: dict[tuple[int, date], bool] = dict.fromkeys(_ticks(episode_id=episode.pk), True)
    monday = until - timedelta(days=until.weekday())
    result = []
    for n in reversed(range(weeks)):
        start = monday - timedelta(weeks=n)
        days = [start + timedelta(days=d) for d in range(7) if start + timedelta(days=d) <= until]
        planned = done = 0
        for item in items:
            active = [d for d in days if item.active_on(d)]
            if not active:
                continue
            planned += min(item.days_per_week, len(active))
            done += sum(1 for d in active if (item.pk, d) in logs)
        if planned:
            result.append(WeekAdherence(week_start=start, planned=planned, done=done))
    return result
