"""Small wins: "walked to the mailbox", "went to school all day". Anyone in the family or care
team adds one, optionally toward a goal; the care team cheers or leaves a short note."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backto.access.patients.models import Episode, Patient
from backto.capabilities.goals.models import Goal


class Win(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="wins")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.SET_NULL, related_name="wins"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="wins"
    )
    text = models.CharField(max_length=200)
    happened_on = models.DateField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["patient", "-happened_on"], name="win_patient_day")]

    def __str__(self) -> str:
        return self.text


class ReactionKind(models.TextChoices):
    CHEER = "cheer", _("Cheer")
    NOTE = "note", _("Note")


class WinReaction(models.Model):
    win = models.ForeignKey(Win, on_delete=models.CASCADE, related_name="reactions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["win", "by"],
                condition=models.Q(kind="cheer"),
                name="winreaction_one_cheer_each",
            )
        ]

    def __str__(self) -> str:
        return self.note or self.get_kind_display()
