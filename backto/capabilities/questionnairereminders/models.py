"""Questionnaire reminders by email (docs/questionnaire-reminders.md): a record of each reminder
sent, so that each goes out once, and each family member's choice, per child, to have them."""

from django.conf import settings
from django.db import models

from backto.access.patients.models import Patient
from backto.capabilities.measures.models import Administration


class ReminderKind(models.TextChoices):
    OPENED = "opened", "The questionnaire has opened"
    CLOSING = "closing", "The questionnaire closes soon"


class QuestionnaireReminder(models.Model):
    """One reminder about one questionnaire sent to one family member. The sweep inserts the
    row before it sends (the unique constraint lets one insert win, however many workers run),
    and deletes it again when the email is refused, for the next sweep to try."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField()
    # The sweep batch that inserted the row: how a worker tells the rows it claimed from those
    # another worker inserted first.
    claim = models.UUIDField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "user", "kind"], name="questionnaire_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of administration {self.administration_id}"


class QuestionnaireEmails(models.Model):
    """A guardian's or teen's choice for one child: questionnaire reminder emails on (the
    default, also when there is no row) or off."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField(default=True)

    class Meta:
        verbose_name = "questionnaire emails"
        verbose_name_plural = "questionnaire emails"
        constraints = [
            models.UniqueConstraint(fields=["user", "patient"], name="questionnaire_emails_unique")
        ]

    def __str__(self) -> str:
        return (
            f"Questionnaire emails {'on' if self.enabled else 'off'} for patient {self.patient_id}"
        )
