"""Safety alerts: an answer that needs the care team at once (the diary's lowest mood, any
answer an instrument marks `safety_alert`, or a family's message with words that suggest
self-harm: backto.clinical.safety_words). Raised in the same transaction as the answer,
emailed to the care team, and closed only by a clinician's acknowledgement with a note."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from backto.access.accounts.roles import Permission
from backto.access.patients.models import CareTeamMember, Episode, Patient


class AlertSource(models.TextChoices):
    DIARY = "diary", "Daily diary"
    QUESTIONNAIRE = "questionnaire", "Questionnaire"
    MESSAGE = "message", "Message to the care team"


def team_to_tell(episode: Any) -> "models.QuerySet[CareTeamMember]":
    """The care team members an alert on this episode (an Episode, its pk, or OuterRef) is
    emailed to: active accounts with an email. When there are none, the clinic's coordinators
    are told instead (alerts.tasks), and may then open an alert raised from private answers."""
    return CareTeamMember.objects.filter(episode=episode, clinician__is_active=True).exclude(
        clinician__email=""
    )


class SafetyAlertQuerySet(models.QuerySet["SafetyAlert"]):
    def open(self) -> "SafetyAlertQuerySet":
        return self.filter(acknowledged_at__isnull=True)

    def visible_to(self, user: Any) -> "SafetyAlertQuerySet":
        """The alerts this person may know of, among those of children in their circle. An
        alert raised from a teen's private answer tells the answer, so it is for the care team
        (TEEN_PRIVATE_VIEW, on the child's care team): not for guardians, nor for a clinic admin
        or a coordinator reaching the child through the clinic, unless nobody on the episode's
        care team can be told, when the coordinators are (patients.access.sees_teen_private
        is the same rule for one child)."""
        return self.filter(visible_condition(user))


def visible_condition(user: Any) -> Q:
    """SafetyAlertQuerySet.visible_to as a condition on alerts."""
    if Permission.TEEN_PRIVATE_VIEW not in getattr(user, "permissions", ()):
        return Q(private=False)
    condition = Q(private=False) | Q(
        Exists(
            CareTeamMember.objects.filter(
                clinician_id=user.pk, episode__patient_id=OuterRef("patient_id")
            )
        )
    )
    if "coordinator" in user.role_keys:
        condition |= ~Q(Exists(team_to_tell(OuterRef("episode_id"))))
    return condition


class SafetyAlert(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="safety_alerts")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, choices=AlertSource.choices)
    source_id = models.BigIntegerField(
        help_text="The diary entry or administration answered, or the message written."
    )
    respondent = models.CharField(max_length=10)
    items = models.JSONField(default=list, help_text="Labels of the items that raised it.")
    private = models.BooleanField(
        default=False,
        help_text="Raised from an answer the teen keeps private: for the care team only.",
    )
    urgent = models.BooleanField(
        default=False,
        help_text="An answer the instrument marks urgent (the ASQ's acute positive): shown first.",
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True, help_text="What the care team did.")

    objects = SafetyAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            # One open alert per form: while it is open the team has been told. A safety answer
            # given again after it was closed raises a new one (alerts.queries.newly_given).
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="safety_alert_one_open_per_form",
            )
        ]
        indexes = [
            models.Index(
                fields=["patient"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="safety_alert_open",
            )
        ]

    def __str__(self) -> str:
        return f"safety alert {self.pk} ({self.get_source_display()})"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
