"""Safety alerts: an answer that needs the care team at once (the diary's lowest mood, or any
answer an instrument marks `safety_alert`). Raised in the same transaction as the answer,
emailed to the care team, and closed only by a clinician's acknowledgement with a note."""

from django.conf import settings
from django.db import models

from backto.patients.models import Episode, Patient


class AlertSource(models.TextChoices):
    DIARY = "diary", "Daily diary"
    QUESTIONNAIRE = "questionnaire", "Questionnaire"


class SafetyAlertQuerySet(models.QuerySet["SafetyAlert"]):
    def open(self) -> "SafetyAlertQuerySet":
        return self.filter(acknowledged_at__isnull=True)


class SafetyAlert(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="safety_alerts")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, choices=AlertSource.choices)
    source_id = models.BigIntegerField(help_text="The diary entry or administration answered.")
    respondent = models.CharField(max_length=10)
    items = models.JSONField(default=list, help_text="Labels of the items that raised it.")
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
            # given again after it was closed raises a new one (alerts.actions.newly_given).
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
