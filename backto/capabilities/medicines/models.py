"""A child's medicines as a list: what it is, what it is for, how often in words, when it started
and stopped, and whether it helped in the family's words. The family and the care team keep it;
a physician confirms it, and any change after that waits for their confirmation again.

No dose, no strength, no route: BackTo is not a prescribing system, and it never says a medicine
is right or wrong for a child. "Talk with your doctor" is the only advice it gives.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Episode, Patient

NAME_MAX = 100


class DatePrecision(models.TextChoices):
    """How much of a start or stop date the family knows: the day, or only the month (kept as
    the month's first day and shown as "March 2026")."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month only")


class MedicineName(models.Model):
    """A name on the clinic's short list, offered first when a medicine is added."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="medicine_names")
    name = models.CharField(max_length=NAME_MAX)
    active = models.BooleanField(default=True, help_text="Offered when a medicine is added.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint("clinic", Lower("name"), name="medicinename_once_per_clinic")
        ]

    def __str__(self) -> str:
        return self.name


class Medicine(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medicines")
    # The episode the entry was written in (at intake, or at a later questionnaire point).
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The name as written: a clinic that later renames or drops a name on its list never
    # changes a child's record. `from_list` says it was picked from the clinic's list.
    name = models.CharField(max_length=NAME_MAX)
    from_list = models.BooleanField(default=False)
    purpose = models.CharField(max_length=200, blank=True)
    how_often = models.CharField(max_length=100, blank=True)
    started_on = models.DateField(null=True, blank=True)
    started_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    stopped_on = models.DateField(null=True, blank=True)
    stopped_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    # The day it was cut down (taken less often, or less of it), in the family's account: the
    # letters report medicines stopped or reduced in the program. How often now is `how_often`.
    reduced_on = models.DateField(null=True, blank=True)
    helped = models.CharField(max_length=300, blank=True)  # in the family's words
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A physician's confirmation of the entry as it reads now; any change clears it.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "-started_on", "id"]
        indexes = [models.Index(fields=["patient", "stopped_on"], name="medicine_patient_stopped")]

    def __str__(self) -> str:
        return self.name

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def stopped(self) -> bool:
        return self.stopped_on is not None
