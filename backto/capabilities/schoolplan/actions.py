"""Writes for the school plan: the care team writes it, a guardian approves it; any change to
the text withdraws the approval."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.models import Episode
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.schoolplan.models import SchoolPlan
from backto.capabilities.schoolplan.queries import wording_token


@transaction.atomic
def school_plan_save(
    *, by: User, episode: Episode, attendance_plan: str, accommodations: str, share_goals: bool
) -> SchoolPlan:
    plan = SchoolPlan.objects.select_for_update().filter(episode=episode).first()
    text = (attendance_plan.strip(), accommodations.strip(), share_goals)
    if plan is None:
        plan = SchoolPlan(episode=episode)
    elif (plan.attendance_plan, plan.accommodations, plan.share_goals) != text:
        plan.approved_at = None  # the guardian agreed to other words
        plan.approved_by = None
    plan.attendance_plan, plan.accommodations, plan.share_goals = text
    plan.updated_by = by
    plan.save()
    audit(by=by, action=Action.UPDATE, obj=plan, patient_id=episode.patient_id)
    return plan


@transaction.atomic
def school_plan_approve(*, by: User, plan: SchoolPlan, shown: str) -> SchoolPlan:
    """Approve the plan as the guardian saw it (`shown` is its wording_token then); refused
    when the care team has changed the words since."""
    if not has_permission(by, Permission.SCHOOL_PLAN_APPROVE, plan.episode.patient):
        raise PermissionDenied("A parent or guardian approves what the school is told.")
    plan = SchoolPlan.objects.select_for_update().get(pk=plan.pk)
    if shown != wording_token(plan):
        raise ValidationError(
            _("The care team changed the plan after you opened it. Read it again, then approve.")
        )
    plan.approved_at = timezone.now()
    plan.approved_by = by
    plan.save(update_fields=["approved_at", "approved_by"])
    audit(
        by=by, action=Action.UPDATE, obj=plan, patient_id=plan.episode.patient_id, detail="approved"
    )
    return plan
