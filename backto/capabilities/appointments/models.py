"""Appointments: the program's week for a child, booked by the care team.

An appointment is one visit (a therapy session, a physician's review, a school meeting) on a
day and time in the clinic's time zone, in a place or by video, with a clinician. The family
sees this week's on their home and subscribes to their own calendar feed; a clinician subscribes
to theirs. A session note in the care plan names the appointment it took place in, so attendance
and the program's dose follow from the schedule. For intensive (day-hospital) programs a clinic
keeps template weeks (a timetable of slots) that a coordinator applies to a child's program.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Episode, Patient


class AppointmentKind(models.TextChoices):
    PT = "pt", gettext_lazy("Physical therapy")
    OT = "ot", gettext_lazy("Occupational therapy")
    COUNSELING = "counseling", gettext_lazy("Counseling")
    PHYSICIAN = "physician", gettext_lazy("Physician visit")
    SCHOOL = "school", gettext_lazy("School meeting")


class AppointmentStatus(models.TextChoices):
    # With a context: other apps' catalogues say "Cancelled" of several sessions ("Canceladas").
    BOOKED = "booked", pgettext_lazy("appointment status", "Booked")
    ATTENDED = "attended", pgettext_lazy("appointment status", "Took place")
    MISSED = "missed", pgettext_lazy("appointment status", "Did not come")
    CANCELLED = "cancelled", pgettext_lazy("appointment status", "Cancelled")


MINUTES = [MinValueValidator(5), MaxValueValidator(480)]


class Appointment(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(validators=MINUTES)
    place = models.CharField(max_length=200, blank=True, help_text="A room or an address.")
    video_link = models.URLField(blank=True, help_text="An https link to the video visit.")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    note_for_family = models.CharField(
        max_length=300, blank=True, help_text="What to bring or wear; shown to the family."
    )
    timetable = models.ForeignKey(
        "TimetableTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The template week it was booked from.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    # The day-before reminder went out (the sweep sets it, so it goes once).
    reminded_at = models.DateTimeField(null=True, blank=True)
    # How many times it was changed (moved, cancelled, booked again): a calendar feed's SEQUENCE,
    # so a subscribed calendar takes the newer version of the event.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["patient", "starts_at"], name="appointment_child_time"),
            models.Index(fields=["clinician", "starts_at"], name="appointment_clinician_time"),
            models.Index(
                fields=["starts_at"],
                condition=models.Q(status="booked", reminded_at__isnull=True),
                name="appointment_to_remind",
            ),
        ]

    def __str__(self) -> str:
        return f"appointment {self.pk} ({self.kind})"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class CalendarFeed(models.Model):
    """A person's secret calendar address: only a hash of its token is kept. Resetting it makes
    a new token, and the old address answers 404 from then on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed {self.pk}"


class TimetableTemplate(models.Model):
    """A clinic's template week for an intensive (day-hospital) program."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="timetables")
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="timetable_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TimetableSlot(models.Model):
    """One appointment of the template week: a weekday (0 Monday to 6 Sunday) and a time."""

    template = models.ForeignKey(TimetableTemplate, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    start = models.TimeField()
    minutes = models.PositiveSmallIntegerField(validators=MINUTES)
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    place = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["weekday", "start", "id"]

    def __str__(self) -> str:
        return f"timetable slot {self.pk}"
