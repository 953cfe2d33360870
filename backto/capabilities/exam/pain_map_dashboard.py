"""The exam's pain_map part on the dashboards (`backto.core.dashboard`); imported by dashboard.py so
that the dashboards' autodiscovery registers it.

On the family's home: "where it bothered you" as a to-do when a map is due at a questionnaire
point, ticked once marked today (three queries for every child of the page), in the reader's
language. On a child's overview: the latest painful-region count and WPI against the first, for
whoever may see the exam (one query)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.respondents import Respondent
from backto.capabilities.exam.models import PainMap
from backto.capabilities.exam.pain_map_queries import due_for_family, summaries_for
from backto.core.dashboard import (
    FamilyHome,
    FamilyTodo,
    OverviewCard,
    OverviewPage,
    dashboards,
)
from backto.core.fixed_sql import fixed_query


@fixed_query
def _marked(*, patient_ids: list[int], user_id: int, day: date) -> QuerySet[Any]:
    return (
        PainMap.objects.filter(episode__patient_id__in=patient_ids, recorded_by_id=user_id, day=day)
        .order_by("recorded_at", "pk")
        .values_list("episode__patient_id", "episode_id", "respondent")
    )


def marked_on(viewer: Any, patient_ids: Sequence[int], day: date) -> list[tuple[int, int, str]]:
    """(patient, episode, respondent) of the maps this person marked on `day`: one query."""
    return _marked(patient_ids=list(patient_ids), user_id=viewer.pk, day=day)


@dashboards.family_todos
def pain_maps_to_mark(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodo]]:
    """Each map due for this family member, and those they marked today, ticked: three queries for
    every child."""
    names = {c.patient.pk: c.patient.first_name for c in page.children}

    def todo(patient_id: int, episode_id: int, respondent: str, done: bool) -> FamilyTodo:
        url = reverse("pain_map_mark", args=[episode_id]) + f"?for={respondent}"
        if page.viewer.is_teen:
            return FamilyTodo(40, _("Mark your body map"), url, done, _("where it bothered you"))
        name = {"name": names[patient_id]}
        detail = (
            pgettext("a parent's own body map", "as you saw it")
            if respondent == Respondent.PARENT
            else _("with %(name)s") % name
        )
        return FamilyTodo(40, _("Where it bothered %(name)s") % name, url, done, detail)

    found: dict[int, list[FamilyTodo]] = {}
    for patient_id, points in due_for_family(page.viewer, page.patient_ids).items():
        found[patient_id] = [todo(patient_id, p.episode_id, p.respondent, False) for p in points]
    for patient_id, episode_id, respondent in marked_on(page.viewer, page.patient_ids, page.today):
        found.setdefault(patient_id, []).append(todo(patient_id, episode_id, respondent, True))
    return found


@dashboards.overview_cards
def pain_map_card(page: OverviewPage) -> Iterable[OverviewCard]:
    if page.episode is None or not has_permission(page.viewer, Permission.EXAM_VIEW, page.patient):
        return []
    summary = summaries_for([page.episode.pk]).get(page.episode.pk)
    return [OverviewCard("results", 6, "exam/_pain_map_overview.html", {"summary": summary})]
