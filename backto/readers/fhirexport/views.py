"""FHIR Bulk Data `$export` for one clinic (docs/fhir-bulk-export.md): the kick-off, the status
address (progress, manifest, cancellation) and the files. Bearer tokens only, BULK_EXPORT, every
error an OperationOutcome (the fhir reader's conventions, backto.readers.fhir.http)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.http import http_date

from backto.audit.log import audit
from backto.audit.models import Action
from backto.readers.fhir.http import fhir_endpoint, fhir_response
from backto.readers.fhir.outcomes import FhirError, operation_outcome
from backto.readers.fhir.sources import base_url
from backto.readers.fhirexport.actions import OBJECT_TYPE, export_cancel, export_kickoff
from backto.readers.fhirexport.files import ERRORS, type_file
from backto.readers.fhirexport.models import ExportJob, ExportState
from backto.readers.fhirexport.requests import (
    exporter,
    job_for,
    parse_kickoff,
    require_async,
)

NDJSON = "application/fhir+ndjson"
RETRY_AFTER = "10"  # seconds between status polls while the export runs


@fhir_endpoint()
def kickoff(request: HttpRequest) -> HttpResponse:
    return _kickoff(request, patients_only=False)


@fhir_endpoint()
def patient_kickoff(request: HttpRequest) -> HttpResponse:
    return _kickoff(request, patients_only=True)


def _kickoff(request: HttpRequest, *, patients_only: bool) -> HttpResponse:
    if request.method != "GET":  # a HEAD must not start an export
        raise FhirError(405, "A bulk export is started with GET only.", headers={"Allow": "GET"})
    user = exporter(request)
    require_async(request)
    asked = parse_kickoff(request.GET, patients_only=patients_only)
    job = export_kickoff(
        by=user,
        types=asked.types,
        since=asked.since,
        deidentified=asked.deidentified,
        request_url=request.build_absolute_uri(),
        now=timezone.now(),
    )
    response = fhir_response(
        operation_outcome(
            [
                {
                    "severity": "information",
                    "code": "informational",
                    "diagnostics": "The export is queued; poll the Content-Location address.",
                }
            ]
        ),
        202,
    )
    response["Content-Location"] = status_url(job)
    return response


def status_url(job: ExportJob) -> str:
    return f"{base_url()}/$export-status/{job.pk}"


def file_url(job: ExportJob, type_name: str) -> str:
    return f"{base_url()}/$export-file/{job.pk}/{type_name}.ndjson"


@fhir_endpoint(methods=("GET", "DELETE"))
def status(request: HttpRequest, job: uuid.UUID) -> HttpResponse:
    user = exporter(request)
    found = job_for(request, user, job)
    if request.method == "DELETE":
        export_cancel(by=user, job=found, now=timezone.now())
        response = fhir_response(
            operation_outcome(
                [
                    {
                        "severity": "information",
                        "code": "informational",
                        "diagnostics": "The export is cancelled and its files deleted.",
                    }
                ]
            ),
            202,
        )
        return response
    audit(
        by=user,
        action=Action.VIEW,
        object_type=OBJECT_TYPE,
        object_id=found.pk,
        detail=f"fhir $export status {found.state}",
    )
    if found.state in (ExportState.QUEUED, ExportState.RUNNING):
        response = HttpResponse(status=202)
        response["X-Progress"] = found.progress or "Queued"
        response["Retry-After"] = RETRY_AFTER
        response["Cache-Control"] = "no-store, private"
        return response
    if found.state == ExportState.FAILED:
        raise FhirError(500, found.error or "The export failed.", code="exception")
    response = HttpResponse(
        json.dumps(manifest(found), separators=(",", ":")),
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store, private"
    if found.expires_at:
        response["Expires"] = http_date(found.expires_at.timestamp())
    return response


def manifest(job: ExportJob) -> dict[str, Any]:
    """The completion manifest of the Bulk Data IG: a file per type with resources in it."""
    return {
        "transactionTime": job.requested_at.isoformat(),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": name, "url": file_url(job, name), "count": count}
            for name, count in job.counts.items()
            if count
        ],
        "error": (
            [{"type": "OperationOutcome", "url": file_url(job, ERRORS), "count": len(job.refused)}]
            if job.refused
            else []
        ),
        "extension": {"deidentified": job.deidentified, "expires": _when(job)},
    }


def _when(job: ExportJob) -> str:
    return job.expires_at.isoformat() if job.expires_at else ""


@fhir_endpoint()
def download(request: HttpRequest, job: uuid.UUID, type_name: str) -> HttpResponseBase:
    user = exporter(request)
    found = job_for(request, user, job)
    listed = (type_name in found.counts and found.counts[type_name]) or (
        type_name == ERRORS and found.refused
    )
    path = type_file(found, type_name)
    if found.state != ExportState.COMPLETED or not listed or not path.is_file():
        raise FhirError(404, f"This export has no {type_name} file.")
    audit(
        by=user,
        action=Action.EXPORT,
        object_type=OBJECT_TYPE,
        object_id=found.pk,
        detail=f"fhir $export file {type_name} count={found.counts.get(type_name, 0)}",
    )
    response = FileResponse(path.open("rb"), content_type=NDJSON)
    response["Cache-Control"] = "no-store, private"
    return response
