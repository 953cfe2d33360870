"""Therapy sessions with signed notes, and the program dose they add up to.

A session records the date, discipline, clinician, minutes, whether the child came, and a note
(subjective, objective, assessment, plan). A clinician of the session's discipline signs the
note; a signed note never changes again, and a correction is an addendum beside it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from backto.patients.models import Episode


class SessionDiscipline(models.TextChoices):
    PT = "pt", "Physical therapy"
    OT = "ot", "Occupational therapy"
    COUNSELING = "counseling", "Counseling"


# Which staff role may sign a note of which discipline.
SIGNING_ROLE = {
    SessionDiscipline.PT: "physical_therapist",
    SessionDiscipline.OT: "occupational_therapist",
    SessionDiscipline.COUNSELING: "counselor",
}


class TherapySession(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    discipline = models.CharField(max_length=20, choices=SessionDiscipline.choices)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    attended = models.BooleanField(default=True, help_text="Untick when the child did not come.")
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan = models.TextField(blank=True)
    measures = models.TextField(blank=True, help_text="Measures taken in the session.")
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_discipline_display()} session on {self.date}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class SessionAddendum(models.Model):
    session = models.ForeignKey(TherapySession, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Addendum to session {self.session_id}"
