"""The export's writes, each in one transaction with its audit event: the kick-off (a job row,
queued for the tasks worker when the transaction commits), the worker's start, progress, end or
failure, a person's cancellation, and the expiry sweep."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from backto.access.accounts.models import User
from backto.audit.log import audit
from backto.audit.models import Action
from backto.readers.fhirexport.files import remove_files
from backto.readers.fhirexport.models import ExportJob, ExportState

KEPT_FOR = timedelta(hours=24)
OBJECT_TYPE = "fhir_export"


def export_kickoff(
    *,
    by: User,
    types: list[str],
    since: datetime | None,
    deidentified: bool,
    request_url: str,
    now: datetime,
) -> ExportJob:
    """A queued export of the person's clinic (the caller has checked BULK_EXPORT)."""
    from backto.readers.fhirexport.tasks import run_export_task

    with transaction.atomic():
        job = ExportJob.objects.create(
            clinic_id=by.clinic_id,
            requested_by=by,
            requested_at=now,
            request_url=request_url[:500],
            types=types,
            since=since,
            deidentified=deidentified,
            secret=secrets.token_hex(32) if deidentified else "",
        )
        audit(
            by=by,
            action=Action.EXPORT,
            object_type=OBJECT_TYPE,
            object_id=job.pk,
            detail=f"fhir $export kick-off types={','.join(types)} deidentified={deidentified}"
            + (f" since={since.isoformat()}" if since else ""),
        )
        # queued once the job row is there for the worker to read
        transaction.on_commit(lambda: run_export_task.enqueue(str(job.pk)))
    return job


def export_start(*, job_id: Any, now: datetime) -> bool:
    """The worker takes a queued export; False when it is not queued (cancelled, or already
    taken by another worker)."""
    return bool(
        ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
            state=ExportState.RUNNING, started_at=now, progress="Starting"
        )
    )


def export_progress(*, job: ExportJob, counts: dict[str, int], progress: str) -> bool:
    """One page written: one UPDATE. False when the export was cancelled meanwhile."""
    return bool(
        ExportJob.objects.filter(pk=job.pk, state=ExportState.RUNNING).update(
            counts=counts, progress=progress[:1000]
        )
    )


def export_finish(
    *, job: ExportJob, counts: dict[str, int], refused: list[str], now: datetime
) -> bool:
    with transaction.atomic():
        done = ExportJob.objects.filter(pk=job.pk, state=ExportState.RUNNING).update(
            state=ExportState.COMPLETED,
            counts=counts,
            refused=refused,
            progress="Done",
            finished_at=now,
            expires_at=now + KEPT_FOR,
        )
        if done:
            audit(
                by=job.requested_by,
                action=Action.EXPORT,
                object_type=OBJECT_TYPE,
                object_id=job.pk,
                detail=f"fhir $export written resources={sum(counts.values())} "
                f"types={len(counts)} deidentified={job.deidentified}",
            )
    return bool(done)


def export_fail(*, job: ExportJob, error: str, now: datetime) -> None:
    with transaction.atomic():
        failed = ExportJob.objects.filter(
            pk=job.pk, state__in=(ExportState.QUEUED, ExportState.RUNNING)
        ).update(state=ExportState.FAILED, error=error, finished_at=now, progress="Failed")
        if failed:
            audit(
                by=job.requested_by,
                action=Action.EXPORT,
                object_type=OBJECT_TYPE,
                object_id=job.pk,
                detail="fhir $export failed",
            )
    remove_files(job)


def export_cancel(*, by: User, job: ExportJob, now: datetime) -> None:
    """DELETE on the status address: a queued or running export stops, a finished one's files
    go (the client has them); either way the files are deleted now."""
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportState.CANCELLED, finished_at=job.finished_at or now, expires_at=now
        )
        audit(
            by=by,
            action=Action.DELETE,
            object_type=OBJECT_TYPE,
            object_id=job.pk,
            detail=f"fhir $export cancelled (was {job.state})",
        )
    remove_files(job)


def exports_expire(*, now: datetime) -> int:
    """The sweep: every export past its expiry loses its files (completed ones become
    expired). Returns how many were expired."""
    due = list(
        ExportJob.objects.filter(state=ExportState.COMPLETED, expires_at__lte=now).select_related(
            "requested_by"
        )
    )
    for job in due:
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk, state=ExportState.COMPLETED).update(
                state=ExportState.EXPIRED
            )
            audit(
                by=None,
                username="expiry sweep",
                action=Action.DELETE,
                object_type=OBJECT_TYPE,
                object_id=job.pk,
                detail="fhir $export files expired",
            )
        remove_files(job)
    for job in ExportJob.objects.filter(
        state__in=(ExportState.FAILED, ExportState.CANCELLED), finished_at__lte=now - KEPT_FOR
    ).only("pk"):
        remove_files(job)  # a worker stopped mid-page may have left a part file behind
    return len(due)
