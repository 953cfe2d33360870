"""Secure messages between a family and the child's care team.

Each child has up to two conversations: the family's (guardians, the teen, the care team) and
the teen's own (the teen and the care team: guardians never see it). A message is never deleted:
its author may withdraw it, which hides its words from the family's view and keeps the fact (and
the audit event) that it was. A family's message waits for the care team until a team member
marks it done; it can be assigned to one of them first. Who has read what is a read mark per
person and conversation, so "unread" is one comparison, never a count over every message.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from backto.access.accounts.models import Clinic
from backto.access.patients.models import Patient


class ConversationKind(models.TextChoices):
    FAMILY = "family", "Family and care team"
    TEEN = "teen", "Teen and care team"


class Conversation(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(max_length=10, choices=ConversationKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept by the send actions in the message's transaction, so an inbox of thousands of
    # conversations sorts and filters on one table.
    last_message_at = models.DateTimeField(null=True, blank=True)
    # The oldest family message not yet marked done (None when nothing waits for the team).
    waiting_since = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "kind"], name="conversation_one_per_kind")
        ]
        indexes = [
            models.Index(fields=["-last_message_at", "-id"], name="conversation_recent"),
            models.Index(
                fields=["waiting_since"],
                condition=Q(waiting_since__isnull=False),
                name="conversation_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.kind})"


def photo_path(message: "Message", filename: str) -> str:
    """A stored photo's name says nothing about the child or the file sent: a random id."""
    return f"messages/{uuid.uuid4().hex}.jpg"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_family = models.BooleanField(help_text="Written by the family (a guardian or the teen).")
    body = models.TextField(blank=True)
    # Checked, resized and stripped of its metadata before it is stored (a JPEG).
    photo = models.FileField(upload_to=photo_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A message sent twice on a flaky connection lands once.
    idempotency_key = models.UUIDField(unique=True)
    # Words that suggest self-harm (backto.clinical.safety_words) raised a safety alert.
    safety_words = models.BooleanField(default=False)
    canned_reply = models.ForeignKey(
        "CannedReply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_in_order")]

    def __str__(self) -> str:
        return f"message {self.pk}"


class ReadMark(models.Model):
    """How far one person has read one conversation."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_up_to = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="read_mark_one_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"read mark {self.pk}"


class CannedReply(models.Model):
    """A reply the clinic wrote once for a common question; a team member edits it before
    sending, and it goes out under their name. Written in one language: the picker offers the
    family's first."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="canned_replies")
    title = models.CharField(max_length=80)
    body = models.TextField()
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language the reply is written in.",
    )
    active = models.BooleanField(default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "language", "title"], name="canned_reply_title_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MessagingSettings(models.Model):
    """A clinic's promise to families about replies."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="messaging")
    reply_time = models.CharField(
        max_length=200,
        default="We reply within 2 working days.",
        help_text="Shown to families above every conversation.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"messaging settings {self.pk}"


class StaffDelivery(models.TextChoices):
    EACH = "each", "An email for each new message"
    DIGEST = "digest", "One email a day listing what waits"
    NONE = "none", "No email: I look in BackTo"


class StaffMessagePreference(models.Model):
    """How a team member hears of families' messages (never their content)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preference"
    )
    delivery = models.CharField(
        max_length=10, choices=StaffDelivery.choices, default=StaffDelivery.EACH
    )
    digest_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"message preference {self.pk}"
