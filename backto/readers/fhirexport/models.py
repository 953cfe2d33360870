"""One FHIR Bulk Data `$export` of a clinic: who asked for which types, how far the tasks worker
has got, what it wrote and until when the files stay. The files themselves are NDJSON under
VAR_DIR/fhir-exports/<id>/ (files.py); the row never holds a resource."""

import uuid

from django.conf import settings
from django.db import models

from backto.access.accounts.models import Clinic


class ExportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"  # completed, and its files deleted by the expiry sweep


class ExportJob(models.Model):
    # A random id: the status and file addresses are handed to clients and never guessable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="fhir_exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    # The kick-off address as asked (path and query: types, dates, flags; never a name), for
    # the manifest's `request`.
    request_url = models.CharField(max_length=500)
    types = models.JSONField(default=list)  # resource type names, in the order written
    since = models.DateTimeField(null=True, blank=True)
    deidentified = models.BooleanField(default=False)
    # 32 random bytes as hex: the HMAC key of a de-identified export's pseudonyms and date
    # shifts ("" when not de-identified). Never shown, never exported.
    secret = models.CharField(max_length=64, blank=True, editable=False)
    state = models.CharField(max_length=10, choices=ExportState, default=ExportState.QUEUED)
    counts = models.JSONField(default=dict)  # type -> resources written so far
    progress = models.CharField(max_length=1000, blank=True)  # "Patient done, Observation 40 %"
    # Types the person's role may not read: named in the manifest's error file.
    refused = models.JSONField(default=list)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # finished + 24 hours
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["state", "expires_at"], name="fhirexport_state_expiry")]

    def __str__(self) -> str:
        return f"FHIR export {self.pk} ({self.state})"

    @property
    def total(self) -> int:
        return sum(int(n) for n in self.counts.values())
