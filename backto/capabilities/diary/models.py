"""The daily diary: a child (or teen) entry and a parent entry for the same child and day.

Answers are stored raw, keyed by the linkIds of the `daily-diary` and `daily-diary-parent`
instruments, with the instrument version. An idempotency key per form makes a resubmission on a
flaky connection land once. A teen may mark mood and notes private: only the care team sees
them (not guardians, nor staff who reach the child through the clinic alone).
"""

import functools
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from backto.access.patients.models import Patient
from backto.access.patients.respondents import FAMILY_RESPONDENTS, Respondent
from backto.clinical.instrument_registry import instrument_registry

# The diary is the family's: the child (or teen) and a parent each write one.
INSTRUMENT_FOR = {Respondent.CHILD: "daily-diary", Respondent.PARENT: "daily-diary-parent"}
# The answers a teen may keep from their guardians (the care team still sees them).
PRIVATE_ABLE = ("mood", "activity_note", "win")


class DiaryEntry(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diary_entries")
    day = models.DateField()
    respondent = models.CharField(
        max_length=10, choices=[(r.value, r.label) for r in FAMILY_RESPONDENTS]
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    private_fields = models.JSONField(default=list, blank=True)
    instrument_id = models.CharField(max_length=50)
    instrument_version = models.CharField(max_length=20)
    safety_alert = models.BooleanField(default=False)
    idempotency_key = models.UUIDField(unique=True)
    # The keys of earlier submissions this entry has already taken in (an edit replaces the key):
    # a late retry of one of them is a replay, not an edit that would undo the newer words.
    earlier_keys = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "day", "respondent", "author"], name="diary_one_entry_per_author"
            ),
        ]
        indexes = [models.Index(fields=["patient", "-day"], name="diary_patient_day")]

    def __str__(self) -> str:
        return f"{self.get_respondent_display()} diary of patient {self.patient_id} on {self.day}"

    def took_in(self, key: uuid.UUID) -> bool:
        """Has this entry already taken in the submission with this idempotency key?"""
        return self.idempotency_key == key or str(key) in self.earlier_keys

    @staticmethod
    def editable_until(day: date) -> date:
        """An entry can be changed by its author until the end of the next day."""
        return day + timedelta(days=1)

    def answers_for(self, *, sees_private: bool) -> dict[str, object]:
        """The answers this viewer may see: a teen's private answers only for those who see them
        (the care team and the teen: patients.access.sees_teen_private)."""
        if sees_private or self.respondent != Respondent.CHILD:
            return dict(self.answers)
        return {k: v for k, v in self.answers.items() if k not in self.private_fields}

    @property
    def safety_answer_private(self) -> bool:
        """Is an answer that can raise a safety alert (the lowest mood) kept private? Then that
        the entry holds a safety answer is private too: it tells what the answer was."""
        return bool(set(self.private_fields) & safety_items(self.instrument_id))


@functools.cache
def safety_items(instrument_id: str) -> frozenset[str]:
    """The linkIds of the diary items with an answer that raises a safety alert."""
    instrument = instrument_registry().get(instrument_id)
    return frozenset(
        item.linkId for item in instrument.items if any(o.safety_alert for o in item.answerOption)
    )


class DiarySettings(models.Model):
    """Per child, set by the care team."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="diary_settings")
    pain_enabled = models.BooleanField(
        default=True, help_text="Ask the pain question at the end of the diary."
    )
    family_sees_pain = models.BooleanField(
        default=False,
        help_text="Show the guardians pain on the progress page (never to the child).",
    )

    def __str__(self) -> str:
        return f"Diary settings of patient {self.patient_id}"


class Reminder(models.Model):
    """A family member's daily diary reminder, at a time of their choosing, by the channels they
    chose (notifications)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    time_of_day = models.TimeField()
    enabled = models.BooleanField(default=True)
    last_sent_on = models.DateField(null=True, blank=True)
    # The day it was last turned on: a reminder rests after PAUSE_AFTER days in a row without a
    # diary from this person (diary.reminders), counted from here, never from before it was on.
    started_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "patient"], name="reminder_unique"),
        ]

    def __str__(self) -> str:
        return f"Reminder at {self.time_of_day:%H:%M} for patient {self.patient_id}"
