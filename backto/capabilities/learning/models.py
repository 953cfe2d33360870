"""Learning pages a clinic changed or added, and pages the care team suggested to a family.

The pages BackTo ships live as Markdown files in `content/` (see `content.py`). A clinic's row
with the same audience and slug changes a shipped page: its text, where filled in, replaces the
shipped text, and `hidden` takes the page off the clinic's list. A row with no shipped page
behind it is the clinic's own page.

Each row holds one language's version of a page: the clinic's Spanish wording of a shipped page,
or the Spanish version of a page of its own, is a row with `language` "es". Hiding is for the
page as a whole, in every language: a page is hidden when any of its rows is.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Patient


class Audience(models.TextChoices):
    PARENTS = "parents", _("For parents")
    KIDS = "kids", _("For kids and teens")


class LearningPage(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="learning_pages")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    slug = models.SlugField(max_length=60)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    title = models.CharField(max_length=120, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    hidden = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "learning page"
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "audience", "slug", "language"],
                name="learning_page_once_per_clinic_and_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.audience}/{self.slug} ({self.language})"


class PageAssignment(models.Model):
    """A page the care team suggested to a child's family, and when the family read it."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="learning_assignments"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    slug = models.SlugField(max_length=60)
    note = models.CharField(max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "suggested learning page"
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "audience", "slug"], name="learning_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.audience}/{self.slug} for patient {self.patient_id}"
