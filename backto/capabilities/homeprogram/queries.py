"""Today's checklist and adherence by week: planned days against ticked days."""

from dataclasses import dataclass
from datetime import date, timedelta

from backto.access.patients.models import Episode
from backto.capabilities.careplan.queries import program_end
from backto.capabilities.homeprogram.models import ExerciseLog, HomeProgramItem


@dataclass(frozen=True)
class ChecklistRow:
    item: HomeProgramItem
    dose: str
    done: bool


def checklist(episode: Episode, day: date) -> list[ChecklistRow]:
    """The exercises in the program on `day`, with their dose that day (held at the dose of the
    day the program ended, once it has): two queries, three for an ended program."""
    ended = program_end(episode)
    items = [
        i
        for i in HomeProgramItem.objects.filter(episode=episode).select_related("exercise")
        if i.active_on(day)
    ]
    done = set(
        ExerciseLog.objects.filter(item__in=items, day=day).values_list("item_id", flat=True)
    )
    return [
        ChecklistRow(item=i, dose=i.dose_on(day, program_end=ended), done=i.pk in done)
        for i in items
    ]


@dataclass(frozen=True)
class WeekAdherence:
    week_start: date
    planned: int
    done: int

    @property
    def percent(self) -> int | None:
        return round(100 * min(self.done, self.planned) / self.planned) if self.planned else None


def adherence_by_week(episode: Episode, *, until: date, weeks: int = 8) -> list[WeekAdherence]:
    """For each of the last `weeks` weeks (Monday to Sunday) up to `until`, or up to the day the
    program ended if that came first (no day after it counts): how many exercise-days were
    planned (each exercise counts its days a week, limited to the days it was in the program)
    and how many were ticked. Two queries however long the program, three once it has ended."""
    ended = program_end(episode)
    if ended is not None:
        until = min(until, ended)
    items = list(HomeProgramItem.objects.filter(episode=episode))
    logs: dict[tuple[int, date], bool] = dict.fromkeys(
        ExerciseLog.objects.filter(item__episode=episode).values_list("item_id", "day"), True
    )
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
