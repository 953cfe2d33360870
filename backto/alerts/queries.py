"""Open safety alerts for a clinician's home page: one query, however many children."""

from django.db.models import Exists, OuterRef

from backto.accounts.models import User
from backto.alerts.models import SafetyAlert
from backto.patients.access import patients_for


def open_alerts_for(user: User, *, everyone: bool = False) -> list[SafetyAlert]:
    """Unacknowledged alerts of the children on this person's care teams (or the clinic's)."""
    patients = patients_for(user)
    if not everyone:
        patients = patients.filter(episodes__care_team__clinician=user)
    # Led by the open alerts (a handful, on their own index), each checked against the circle,
    # rather than by every child of the clinic.
    return list(
        SafetyAlert.objects.open()
        .filter(Exists(patients.filter(pk=OuterRef("patient_id"))))
        .select_related("patient")
        .order_by("raised_at", "id")
    )
