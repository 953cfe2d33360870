"""Therapy sessions with signed notes, and the program dose they add up to.

A session records the date, discipline, clinician, minutes, whether the child came, and a note
(subjective, objective, assessment, plan), and the appointment it took place in when it was on
the schedule. A clinician of the session's discipline signs the
note; a signed note never changes again, and a correction is an addendum beside it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from backto.access.patients.models import Episode, therapy_choices
from backto.capabilities.appointments.models import Appointment


class TherapySession(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    discipline = models.CharField(max_length=20, choices=therapy_choices())
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
    # The appointment the session took place in (none: a session outside the schedule).
    # Recording the session marks the appointment as taken place or not come.
    appointment = models.OneToOneField(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session",
        help_text="The appointment this session took place in.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_discipline_display()} session on {self.date}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class EpisodeDose(models.Model):
    """An episode's program dose from its sessions, one row per episode, so that program
    outcomes read one row rather than every session. Derived data: recomputed (`dose.py`) in the
    transaction of the two actions that change a session (recording and editing it; signing and
    addenda leave date, discipline, minutes and attendance alone) and rebuilt for everything by
    `backto summaries_rebuild`."""

    episode = models.OneToOneField(
        Episode, primary_key=True, on_delete=models.CASCADE, related_name="session_dose"
    )
    days = models.PositiveIntegerField(default=0, help_text="Days with an attended session.")
    sessions_attended = models.PositiveIntegerField(default=0)
    sessions_missed = models.PositiveIntegerField(default=0)
    pt_minutes = models.PositiveIntegerField(default=0)  # attended minutes per discipline
    ot_minutes = models.PositiveIntegerField(default=0)
    counseling_minutes = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Session dose of episode {self.episode_id}"


class SessionAddendum(models.Model):
    session = models.ForeignKey(TherapySession, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Addendum to session {self.session_id}"


class PlanState(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    REVISED = "revised", "Replaced by a newer version"
    COMPLETED = "completed", "Completed"


# The care plan lifecycle (a test checks every state has a way on or is final).
PLAN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PlanState.DRAFT: (PlanState.ACTIVE,),
    PlanState.ACTIVE: (PlanState.REVISED, PlanState.COMPLETED),
    PlanState.REVISED: (),
    PlanState.COMPLETED: (),
}


class Setting(models.TextChoices):
    INTENSIVE = "intensive", "Intensive day program"
    OUTPATIENT = "outpatient", "Outpatient"


class CarePlan(models.Model):
    """One version of the episode's plan across disciplines. Versions are kept."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="care_plans")
    version = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=20, choices=PlanState.choices, default=PlanState.DRAFT)
    setting = models.CharField(max_length=20, choices=Setting.choices, default=Setting.OUTPATIENT)
    program_weeks = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "version"], name="careplan_version_unique"),
            models.UniqueConstraint(
                fields=["episode"], condition=models.Q(state="active"), name="careplan_one_active"
            ),
            models.UniqueConstraint(
                fields=["episode"], condition=models.Q(state="draft"), name="careplan_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"Care plan v{self.version} ({self.get_state_display()})"


class PlanDose(models.Model):
    """The planned dose of one discipline in one plan version."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="doses")
    discipline = models.CharField(max_length=20, choices=therapy_choices())
    sessions_per_week = models.PositiveSmallIntegerField(validators=[MaxValueValidator(14)])
    minutes_per_session = models.PositiveSmallIntegerField(validators=[MaxValueValidator(480)])
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["discipline"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "discipline"], name="plandose_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_discipline_display()}: {self.sessions_per_week}/week"


class DischargeReason(models.TextChoices):
    GOALS_MET = "goals_met", "Goals met"
    PROGRAM_COMPLETED = "program_completed", "Program completed"
    FAMILY_CHOICE = "family_choice", "Family's choice"
    MOVED = "moved", "Moved or transferred care"
    OTHER = "other", "Other"


class Discharge(models.Model):
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="discharge")
    discharged_on = models.DateField()
    reason = models.CharField(max_length=30, choices=DischargeReason.choices)
    summary = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Discharge of episode {self.episode_id}"


FOLLOW_UP_MONTHS = (1, 3, 6, 12)


class FollowUp(models.Model):
    """A follow-up point after discharge; the measures capability sends its questionnaires."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "months"], name="followup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.months}-month follow-up due {self.due_on}"
