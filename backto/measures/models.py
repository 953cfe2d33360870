"""Standardized measures: each administration of a questionnaire to a child, parent or
clinician at a point of the episode, with its lifecycle as an explicit transition table."""

from django.conf import settings
from django.db import models

from backto.patients.models import Episode


class Respondent(models.TextChoices):
    CHILD = "child", "Child or teen"
    PARENT = "parent", "Parent"
    CLINICIAN = "clinician", "Clinician"


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    PROGRAM = "program", "During the program"
    DISCHARGE = "discharge", "Discharge"
    FOLLOW_UP = "follow_up", "Follow-up"


class AdminState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DUE = "due", "Due"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


S = AdminState
ADMIN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SCHEDULED: (S.DUE, S.CANCELLED),
    S.DUE: (S.IN_PROGRESS, S.COMPLETED, S.MISSED, S.CANCELLED),
    S.IN_PROGRESS: (S.COMPLETED, S.MISSED, S.CANCELLED),
    S.COMPLETED: (),
    S.MISSED: (),
    S.CANCELLED: (),
}
OPEN_ADMIN_STATES = (S.SCHEDULED, S.DUE, S.IN_PROGRESS)


class Administration(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="administrations")
    instrument_id = models.CharField(max_length=50)
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    timepoint = models.CharField(max_length=20, choices=Timepoint.choices)
    label = models.CharField(max_length=60, help_text='e.g. "Week 4" or "3 months".')
    due_on = models.DateField()
    state = models.CharField(max_length=20, choices=AdminState.choices, default=S.SCHEDULED)
    # Filled when completed: answers as given, and the score with the versions that made it.
    answers = models.JSONField(default=dict, blank=True)
    instrument_version = models.CharField(max_length=20, blank=True)
    result = models.JSONField(default=dict, blank=True)
    engine_version = models.CharField(max_length=20, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf = models.BooleanField(default=False, help_text="Entered by a clinician from paper.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "instrument_id", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "instrument_id", "respondent", "timepoint", "label"],
                name="administration_unique_point",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="administration_state_due")]

    def __str__(self) -> str:
        return f"{self.instrument_id} ({self.respondent}) {self.label}"
