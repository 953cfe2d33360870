"""The diary's parts of the dashboards (`backto.core.dashboard`): the last week of diaries on a
child's overview, the days in a row and today's diaries to write on the family's home, and on
the caseload the last diary day, "no diary" and the activity half of "function falling"."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, FloatField, Max, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backto.access.accounts.roles import Permission
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.respondents import Respondent, allowed_respondent
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.diary.queries import diary_calendar, last_diary_days, streaks_for
from backto.clinical.caseload import function_falling
from backto.core.dashboard import (
    CaseloadChild,
    CaseloadFlag,
    CaseloadSignal,
    FamilyHome,
    FamilyTodayItem,
    FamilyTodo,
    OverviewCard,
    OverviewPage,
    dashboards,
)
from backto.core.fixed_sql import fixed_query

# A running program with no diary, the child's or a parent's, for this many days is flagged.
NO_DIARY_DAYS = 3
# The diary is written while the program runs and after it (the family home's buttons).
DIARY_STATES = (EpisodeState.ACTIVE, EpisodeState.DISCHARGED, EpisodeState.FOLLOW_UP)
NO_DIARY = CaseloadFlag("no_diary", f"No diary for {NO_DIARY_DAYS}+ days", order=20)
FUNCTION_FALLING = CaseloadFlag("function_falling", "Function falling", order=40)


def days_ago(days: int) -> str:
    """A day as "today", "yesterday" or "N days ago", `days` being how many days back."""
    if days == 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("%(days)s day ago", "%(days)s days ago", days) % {"days": days}


@dashboards.overview_cards
def diary_week(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None:
        return []
    last = last_diary_days([page.patient.pk]).get(page.patient.pk)
    data = {
        "week": diary_calendar(page.patient.pk, end=page.today, days=7),
        "last_diary": last,
        "last_diary_words": None if last is None else days_ago((page.today - last).days),
    }
    return [OverviewCard("program", 40, "diary/_dashboard_overview.html", data)]


@dashboards.family_today
def days_in_a_row(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    streaks = streaks_for([c.patient.pk for c in page.children], today=page.today)
    return {
        pid: [FamilyTodayItem("program", 10, "diary/_dashboard_family.html", {"streak": streak})]
        for pid, streak in streaks.items()
    }


@fixed_query
def _written_today(*, patient_ids: list[int], day: date, user_id: int) -> QuerySet[Any]:
    return DiaryEntry.objects.filter(
        patient_id__in=patient_ids, day=day, author_id=user_id
    ).values_list("patient_id", "respondent")


@dashboards.family_todos
def diaries_to_write(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodo]]:
    """Today's diaries this person writes, each ticked once their own entry for today is in: a
    teen their own; a guardian the parent's diary, and the child's (written together) for a child
    without an account of their own (`allowed_respondent`). One query for every child."""
    if Permission.DIARY_WRITE not in page.viewer.permissions:
        return {}
    running = [c.patient for c in page.children if c.episode and c.episode.state in DIARY_STATES]
    if not running:
        return {}
    written = set(
        _written_today(patient_ids=[p.pk for p in running], day=page.today, user_id=page.viewer.pk)
    )
    found: dict[int, list[FamilyTodo]] = {}
    for patient in running:
        url = reverse("diary_today", args=[patient.pk])
        todos = []
        if allowed_respondent(page.viewer, patient, Respondent.PARENT):
            done = (patient.pk, Respondent.PARENT) in written
            todos.append(FamilyTodo(10, _("Your diary"), f"{url}?as=parent", done))
        if allowed_respondent(page.viewer, patient, Respondent.CHILD):
            done = (patient.pk, Respondent.CHILD) in written
            if page.viewer.is_teen:
                todos.append(FamilyTodo(10, _("My diary"), f"{url}?as=child", done))
            else:
                label = _("%(name)s's diary") % {"name": patient.first_name}
                detail = _("together with %(name)s") % {"name": patient.first_name}
                todos.append(FamilyTodo(11, label, f"{url}?as=child", done, detail))
        found[patient.pk] = todos
    return found


@fixed_query
def _diary_read(*, patient_ids: list[int], fortnight: date, four_weeks: date) -> QuerySet[Any]:
    child_rated = Q(respondent=Respondent.CHILD, day__gt=four_weeks)
    activity = Cast(KT("answers__activity"), FloatField())
    return (
        DiaryEntry.objects.filter(patient_id__in=patient_ids)
        .order_by()
        .values("patient_id")
        .annotate(
            last=Max("day"),
            now=Avg(activity, filter=child_rated & Q(day__gt=fortnight)),
            before=Avg(activity, filter=child_rated & Q(day__lte=fortnight)),
        )
        .values_list("patient_id", "last", "now", "before")
    )


@dashboards.caseload_signals(NO_DIARY, FUNCTION_FALLING)
def diary_signals(
    children: Sequence[CaseloadChild], today: date, viewer: Any
) -> Mapping[int, CaseloadSignal]:
    """One query: each child's last diary day (the definition of `queries.last_diary_days`: the
    latest day with an entry by the child or a parent) with the mean activity the child rated in
    the last fortnight and the one before."""
    read = {
        pid: (last, now, before)
        for pid, last, now, before in _diary_read(
            patient_ids=[c.patient_id for c in children],
            fortnight=today - timedelta(days=14),
            four_weeks=today - timedelta(days=28),
        )
    }
    found = {}
    for child in children:
        last, now, before = read.get(child.patient_id, (None, None, None))
        flags = []
        quiet = last is None or (today - last).days >= NO_DIARY_DAYS
        if child.active and (child.days_in_program or 0) >= NO_DIARY_DAYS and quiet:
            flags.append(NO_DIARY.key)
        if function_falling(active=child.active, activity_now=now, activity_before=before):
            flags.append(FUNCTION_FALLING.key)
        found[child.patient_id] = CaseloadSignal(flags=tuple(flags), last_diary=last)
    return found
