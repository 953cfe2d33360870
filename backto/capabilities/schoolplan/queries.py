"""Reads of the school plan: for its own page, and for the progress reader's school letter."""

import hashlib
from typing import Any

from django.db.models import QuerySet

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.models import Episode
from backto.capabilities.schoolplan.models import SchoolPlan
from backto.core.fixed_sql import fixed_query


def school_plan_of(episode: Episode) -> SchoolPlan | None:
    """The episode's school plan with who approved it, or None before the care team writes one."""
    return SchoolPlan.objects.filter(episode=episode).select_related("approved_by").first()


@fixed_query
def _approved(*, episode_id: int) -> QuerySet[Any]:
    return SchoolPlan.objects.filter(episode_id=episode_id, approved_at__isnull=False).values_list(
        "pk", flat=True
    )[:1]


def school_plan_approved(episode: Episode) -> bool:
    """Whether a guardian has approved the plan, so that the school letter can be printed."""
    return bool(_approved(episode_id=episode.pk))


def wording_token(plan: SchoolPlan) -> str:
    """Names the exact words a guardian is shown, so that approval is of those words only."""
    text = f"{plan.attendance_plan}\0{plan.accommodations}\0{plan.share_goals}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def school_plan_part(user: User, episode: Episode) -> str:
    """What this person does on the school plan page: "write" (school_plan_edit), "approve"
    (school_plan_approve), or "" for anyone the page refuses."""
    if has_permission(user, Permission.SCHOOL_PLAN_EDIT, episode.patient):
        return "write"
    if has_permission(user, Permission.SCHOOL_PLAN_APPROVE, episode.patient):
        return "approve"
    return ""
