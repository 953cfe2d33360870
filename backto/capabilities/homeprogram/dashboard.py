"""The home program's parts of the dashboards (`backto.core.dashboard`): on the family's home,
today's exercises ("2 of 5 done", ticked when all are) and the touch practice when the program
has some, for whoever ticks them."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from backto.access.accounts.roles import Permission
from backto.access.patients.lifecycle import EpisodeState
from backto.capabilities.homeprogram.models import Category, ExerciseLog, HomeProgramItem
from backto.core.dashboard import FamilyHome, FamilyTodo, dashboards
from backto.core.fixed_sql import fixed_query

# The family's exercises page is offered while the program runs and after it.
EXERCISE_STATES = (EpisodeState.ACTIVE, EpisodeState.DISCHARGED, EpisodeState.FOLLOW_UP)


@fixed_query
def _planned_today(*, episode_ids: list[int], today: date) -> QuerySet[Any]:
    return (
        HomeProgramItem.objects.filter(episode_id__in=episode_ids, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .annotate(done=Exists(ExerciseLog.objects.filter(item=OuterRef("pk"), day=today)))
        .values_list("episode_id", "exercise__category", "done")
    )


@dashboards.family_todos
def exercises_to_do(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodo]]:
    """The day's checklist of each child's latest episode, as the exercises page counts it (an
    item in the program that day; one tick a day, whoever ticked it). One query for every
    child."""
    if Permission.EXERCISE_TICK not in page.viewer.permissions:
        return {}
    episodes = {
        c.episode.pk: c.patient
        for c in page.children
        if c.episode is not None and c.episode.state in EXERCISE_STATES
    }
    if not episodes:
        return {}
    today = page.today
    rows = _planned_today(episode_ids=list(episodes), today=today)
    counts: dict[tuple[int, bool], list[int]] = {}
    for episode_id, category, done in rows:
        tally = counts.setdefault((episode_id, category == Category.DESENSITIZATION), [0, 0])
        tally[0] += 1
        tally[1] += bool(done)
    found: dict[int, list[FamilyTodo]] = {}
    for episode_id, patient in episodes.items():
        url = reverse("exercises_today", args=[episode_id]) + "#checklist"
        todos = []
        if (exercises := counts.get((episode_id, False))) is not None:
            planned, done = exercises
            label = _("My exercises") if page.viewer.is_teen else _("Today's exercises")
            detail = (
                ""
                if done in (0, planned)
                else _("%(done)d of %(planned)d done") % {"done": done, "planned": planned}
            )
            todos.append(FamilyTodo(20, label, url, done == planned, detail))
        if (touch := counts.get((episode_id, True))) is not None:
            todos.append(FamilyTodo(25, _("Touch practice"), url, touch[1] == touch[0]))
        if todos:
            found[patient.pk] = todos
    return found
