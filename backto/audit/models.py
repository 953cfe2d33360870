"""The append-only audit log of every read and write of a child's record.

No foreign keys: an event outlives the user, patient or object it names, and deleting anything
never deletes its history. Rows are never updated or deleted; the model refuses, and database
triggers (migrations 0002 and 0003) refuse too. The one change allowed is sealing: the sealer
(`backto/audit/chain.py`) gives each event, once, its place in a hash chain, so that a change
made past the triggers (by whoever can drop them) is found by `backto audit verify`.
"""

import functools
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOGOUT = "logout", "Signed out"
    PERMISSION_DENIED = "permission_denied", "Permission denied"


OBJECT_LABELS = {  # in the reader's language (a family reads them in its access log)
    "patient": gettext_lazy("Child's details"),
    "episode": gettext_lazy("Episode of care"),
    "careteammember": gettext_lazy("Care team"),
    "guardianship": gettext_lazy("Family link"),
    "invitation": gettext_lazy("Invitation"),
    "user": gettext_lazy("Account"),
    "page": gettext_lazy("Page"),
    "administration": gettext_lazy("Questionnaire"),
    "outcomes": gettext_lazy("Program outcomes"),
}


@functools.cache
def _model_labels() -> dict[str, str]:
    """Every model's verbose name, for object types the overrides above do not word."""
    return {
        str(model._meta.model_name): str(model._meta.verbose_name).capitalize()
        for model in apps.get_models()
    }


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")

    def for_patient(self, patient_id: int) -> "AuditEventQuerySet":
        return self.filter(patient_id=patient_id)


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    clinic_id = models.BigIntegerField(null=True, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_kind = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    # Set once by the sealer, after the event is committed (docs/adr/0004-audit-hash-chain.md):
    # the event's place in the chain (1, 2, 3, ...) and SHA-256 of the previous event's hash and
    # this event's content. Both NULL until then; nullable, so adding them rewrote no table.
    chain_seq = models.BigIntegerField(null=True, blank=True, editable=False)
    chain_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # The plain manager Django keeps for itself would delete and update: use ours.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["patient_id", "at"], name="audit_patient_at"),
            models.Index(fields=["clinic_id", "at"], name="audit_clinic_at"),
            models.Index(fields=["actor_id", "at"], name="audit_actor_at"),
            # The sealer's queue: only the few events not sealed yet are in it.
            models.Index(
                fields=["id"], name="audit_unsealed", condition=models.Q(chain_seq__isnull=True)
            ),
        ]
        constraints = [
            # The chain's order; partial, so adding it needed no table rebuild on SQLite.
            models.UniqueConstraint(
                fields=["chain_seq"],
                name="audit_chain_seq_unique",
                condition=models.Q(chain_seq__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")

    @property
    def object_label(self) -> str:
        """The part of the record, in words a family understands."""
        label = OBJECT_LABELS.get(self.object_type)
        return str(label) if label else _model_labels().get(self.object_type, self.object_type)


class AuditCheckpointQuerySet(models.QuerySet["AuditCheckpoint"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit checkpoints are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit checkpoints are append-only")


class AuditCheckpoint(models.Model):
    """The chain's head (its last sequence number and hash) at a moment, recorded once a day here
    and in a file outside the database, so that losing the newest events is found."""

    at = models.DateTimeField()
    chain_seq = models.BigIntegerField()
    chain_hash = models.CharField(max_length=64)

    objects = AuditCheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} seq {self.chain_seq} {self.chain_hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit checkpoints are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit checkpoints are append-only")
