"""The export job, as the tasks worker runs it: each type's sources paged through for the whole
clinic as the person who asked (their Viewer: their circle, their role's permissions, their
teen-privacy rule, exactly as a search of theirs), each page written to the type's NDJSON file
as it comes. Nothing holds more than one page: memory stays flat however large the clinic.

Per page: the source's own query (or two) for the rows and what the builders ask for the page,
one query for the teen-privacy rule, and one UPDATE of the job's counts and progress (which is
also how a cancellation is noticed)."""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.readers.fhir.catalogue import TYPES
from backto.readers.fhir.sources import DAY, Found, Source, Viewer
from backto.readers.fhirexport.actions import (
    export_fail,
    export_finish,
    export_progress,
    export_start,
)
from backto.readers.fhirexport.deidentify import LEFT_OUT, Deidentifier
from backto.readers.fhirexport.files import ERRORS, job_folder, remove_files
from backto.readers.fhirexport.models import ExportJob, ExportState

logger = logging.getLogger(__name__)

PAGE_SIZE = 200  # rows asked of a source at a time (a page of resources: about as many)


class Cancelled(Exception):
    pass


def pages(
    source: Source, user: User, since: date | None, size: int
) -> Iterator[tuple[int, list[Found]]]:
    """The source's resources for the person, `size` rows at a time (with the number of rows
    read): the rows the fhir search reads (`Source.scoped`: the person's circle, what they may
    know of) built by the source's own builder (`Source.build`), with a fresh Viewer each page
    so that nothing is remembered from one page to the next.

    The cursor is the last row's id, not the search's (day, rank, id) key: an export needs no
    order, and a cursor on the primary key is one index range per page, where the search's day
    (a moment's day in the clinic's time zone, computed per row) would cost a scan of the whole
    table for every page, a time that grows with the square of the clinic."""
    last = 0
    while True:
        rows = list(rows_to_write(source, user, since).filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield len(rows), source.build(rows, Viewer(user))
        if len(rows) < size:
            return
        last = rows[-1].pk


def rows_to_write(source: Source, user: User, since: date | None) -> QuerySet[Any]:
    rows = source.scoped(Viewer(user))
    if since is not None and source.day_field:
        rows = rows.filter(**{f"{DAY}__gte": since})
    return rows


def line(resource: dict[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in resource.items() if v is not None},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def progress_text(done: list[str], current: str, percent: int) -> str:
    return ", ".join([*(f"{name} done" for name in done), f"{current} {percent} %"])


def run_export(job_id: Any, *, page_size: int = PAGE_SIZE) -> str:
    """Run one queued export to its end; returns the state it ends in."""
    if not export_start(job_id=job_id, now=timezone.now()):
        return str(ExportJob.objects.filter(pk=job_id).values_list("state", flat=True).first())
    job = ExportJob.objects.select_related("requested_by__clinic").get(pk=job_id)
    user = job.requested_by
    if not (
        user.is_active
        and user.clinic_id == job.clinic_id
        and Permission.BULK_EXPORT in user.permissions
    ):
        export_fail(
            job=job,
            error="The person who asked may no longer export this clinic's records.",
            now=timezone.now(),
        )
        return ExportState.FAILED
    # A page's model instances refer to each other (a plan, its episode, the episode's
    # prefetched goals): cycles only the cyclic collector frees. Left to it, they reach the
    # oldest generation, which Python collects only once it has grown by a quarter, so the
    # garbage would grow with the clinic. Everything older than the job is frozen out of the
    # collector's way, and a full collection after each page then looks at one page's objects.
    gc.freeze()
    try:
        counts, refused = _write(job, user, page_size)
    except Cancelled:
        remove_files(job)
        return ExportState.CANCELLED
    except Exception:
        logger.exception("FHIR bulk export %s failed", job.pk)
        export_fail(
            job=job, error="The export stopped on a server error (logged).", now=timezone.now()
        )
        return ExportState.FAILED
    finally:
        gc.unfreeze()
    if not export_finish(job=job, counts=counts, refused=refused, now=timezone.now()):
        remove_files(job)
        return ExportState.CANCELLED
    return ExportState.COMPLETED


def _write(job: ExportJob, user: User, page_size: int) -> tuple[dict[str, int], list[str]]:
    folder = job_folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    cleaner = Deidentifier(job.secret) if job.deidentified else None
    since = timezone.localtime(job.since, Viewer(user).zone).date() if job.since else None
    counts: dict[str, int] = {}
    refused: list[str] = []
    done: list[str] = []
    for type_name in job.types:
        if cleaner is not None and type_name in LEFT_OUT:
            continue  # never in a de-identified export, whoever asked for it
        viewer = Viewer(user)
        sources = [s for s in TYPES[type_name].sources if s.allowed(viewer)]
        if not sources:
            refused.append(type_name)
            continue
        total = sum(rows_to_write(s, user, since).count() for s in sources) or 1
        rows_done = written = 0
        part = folder / f"{type_name}.ndjson.part"
        with part.open("w", encoding="utf-8") as out:
            for source in sources:
                for read, page in pages(source, user, since, page_size):
                    for found in page:
                        resource = (
                            cleaner.resource(found.resource, found.patient_id)
                            if cleaner
                            else found.resource
                        )
                        if resource is not None:
                            out.write(line(resource) + "\n")
                            written += 1
                    rows_done += read
                    counts[type_name] = written
                    percent = min(99, rows_done * 100 // total)
                    if not export_progress(
                        job=job, counts=counts, progress=progress_text(done, type_name, percent)
                    ):
                        raise Cancelled
                    del page
                    gc.collect()  # cheap: only what the job made since it froze the rest
        part.replace(folder / f"{type_name}.ndjson")
        counts[type_name] = written
        done.append(type_name)
    if refused:
        with (folder / f"{ERRORS}.ndjson").open("w", encoding="utf-8") as out:
            for type_name in refused:
                out.write(line(refusal(type_name)) + "\n")
    return counts, refused


def refusal(type_name: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": "forbidden",
                "diagnostics": f"Your role does not allow reading {type_name} resources; "
                "none were exported.",
            }
        ],
    }
