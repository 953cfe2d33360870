"""Reading safety alerts: the open ones for a clinician's home page (one query, however many
children), and which safety answers a save gives anew."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    Reach,
    care_team_patients,
    has_permission,
    patients_for,
    reach_of,
)
from backto.access.patients.models import Patient
from backto.capabilities.alerts.models import SafetyAlert, visible_condition
from backto.core.fixed_sql import fixed_query


@fixed_query
def _open_alerts(
    reach: Reach, everyone: bool, *, user_id: int, clinic_id: int
) -> QuerySet[SafetyAlert]:
    user = reach.stand_in(user_id, clinic_id)
    patients = patients_for(user) if everyone else care_team_patients(user)
    # Led by the open alerts (a handful, on their own index), each checked against the circle,
    # rather than by every child of the clinic.
    return (
        SafetyAlert.objects.open()
        .visible_to(user)
        .filter(Exists(patients.filter(pk=OuterRef("patient_id"))))
        .select_related("patient")
        .order_by("-urgent", "raised_at", "id")
    )


def open_alerts_for(user: User, *, everyone: bool = False) -> list[SafetyAlert]:
    """Unacknowledged alerts of the children on this person's care teams (or the clinic's)."""
    return _open_alerts(reach_of(user), everyone, user_id=user.pk, clinic_id=user.clinic_id)


def alerts_kept_from(user: Any, patient: Patient) -> QuerySet[Any]:
    """The ids, as text (as the audit log holds them), of this child's alerts whose events a
    person's access log leaves out: those the person may not know of (raised from a teen's
    private answer, outside the care team), and those raised by the teen's own answers for
    whoever lacks teen_raised_alerts_view (guardians, who do not read them). A subquery, for the
    events' query."""
    hidden = ~visible_condition(user)
    if patient.teen_account_id is not None and not has_permission(
        user, Permission.TEEN_RAISED_ALERTS_VIEW, patient
    ):
        hidden |= Q(raised_by_id=patient.teen_account_id)
    return (
        SafetyAlert.objects.filter(hidden, patient_id=patient.pk)
        .annotate(text=Cast("pk", CharField()))
        .values("text")
    )


def newly_given(
    alerts: Iterable[str], before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[str]:
    """Of the items answered with a safety answer (`alerts`, link ids), those this save gives
    anew. An answer kept as it was has had its alert, even if the team has acknowledged it since:
    editing a form's other answers alerts nobody. Changed away and back, it is said again."""
    return [link for link in alerts if before.get(link) != after.get(link)]
