"""Intake: the pain history, the screening checklist and red flags, and optional Budapest and ACR
data, one record per episode. A family can fill the history and screening from home; a clinician
reviews and confirms. Summaries come from the clinical core and are worded as screening, never
as a diagnosis."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backto.access.patients.models import Episode


class Trigger(models.TextChoices):
    """What started the pain, as the family answers it."""

    INJURY = "injury", _("An injury")
    ILLNESS = "illness", _("An illness")
    STRESS = "stress", _("A stressful time")
    NONE_KNOWN = "none_known", _("Nothing we know of")
    OTHER = "other", _("Something else")


class Intake(models.Model):
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="intake")
    onset_date = models.DateField(null=True, blank=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, blank=True)
    trigger_note = models.CharField(max_length=300, blank=True)
    prior_treatments = models.TextField(blank=True)
    medicines = models.TextField(blank=True)
    workup = models.TextField(blank=True, help_text="Tests done or pending, and their results.")
    # {item key: {"answer": "yes"|"no"|"unknown", "note": str, "value": int|str|None}}
    screening = models.JSONField(default=dict, blank=True)
    red_flags = models.JSONField(default=dict, blank=True)
    # Budapest: {"disproportionate_pain", "symptoms": {...}, "signs": {...},
    # "temperature_difference_c", "no_better_explanation"}; ACR: {"wpi", "ss", ...}
    budapest = models.JSONField(default=dict, blank=True)
    acr = models.JSONField(default=dict, blank=True)
    family_submitted_at = models.DateTimeField(null=True, blank=True)
    family_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Intake of episode {self.episode_id}"
