"""The kick-off's parameters and who may see an export, checked in one place: bad input is a
400 OperationOutcome naming the parameter and what is allowed; a role without BULK_EXPORT is a
403, an export of another clinic (or one cancelled or expired) a 404, each audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest, QueryDict
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import deny
from backto.readers.fhir.catalogue import TYPES
from backto.readers.fhir.outcomes import FhirError
from backto.readers.fhirexport.deidentify import LEFT_OUT
from backto.readers.fhirexport.models import ExportJob, ExportState

PARAMETERS = ("_type", "_outputFormat", "_since", "deidentified", "_format")
OUTPUT_FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")
# Every type the fhir reader builds from sources, in its order (the Patient first).
EXPORTED = tuple(TYPES)
# Patient/$export: the types of the Patient compartment (a child's records and people).
PATIENT_TYPES = tuple(
    name for name, kind in TYPES.items() if all(s.patient_path is not None for s in kind.sources)
)


@dataclass(frozen=True)
class Kickoff:
    types: list[str]
    since: datetime | None
    deidentified: bool


def exporter(request: HttpRequest) -> User:
    """The token's person, when their role may export (403, audited, otherwise)."""
    user: User = request.user  # type: ignore[assignment]
    if Permission.BULK_EXPORT not in user.permissions:
        deny(
            request,
            status=403,
            object_type="fhir_export",
            object_id="",
            patient_id=None,
            permission=Permission.BULK_EXPORT,
        )
        raise FhirError(403, "Your role does not allow a bulk export of the clinic's records.")
    return user


def require_async(request: HttpRequest) -> None:
    prefer = request.headers.get("Prefer", "")
    if "respond-async" not in [p.strip().lower() for p in prefer.split(",")]:
        raise FhirError(
            400,
            "A bulk export runs in the background: send the header 'Prefer: respond-async'.",
            expression="Prefer",
        )


def parse_kickoff(query: QueryDict, *, patients_only: bool) -> Kickoff:
    for name in query:
        if name not in PARAMETERS:
            raise FhirError(
                400,
                f"Unknown parameter '{name}': $export takes {', '.join(PARAMETERS)}.",
                expression=name,
            )
    for name in query:
        if len(query.getlist(name)) > 1:
            raise FhirError(400, f"'{name}' is given more than once.", expression=name)
    output = query.get("_outputFormat")
    if output is not None and output not in OUTPUT_FORMATS:
        raise FhirError(
            400,
            f"_outputFormat '{output}' is not one this server writes: {', '.join(OUTPUT_FORMATS)}.",
            expression="_outputFormat",
        )
    deidentified = _flag(query.get("deidentified"))
    offered = PATIENT_TYPES if patients_only else EXPORTED
    if deidentified:
        offered = tuple(name for name in offered if name not in LEFT_OUT)
    asked = query.get("_type")
    if asked is None:
        types = list(offered)
    else:
        types = []
        for name in (part.strip() for part in asked.split(",")):
            if name not in offered:
                raise FhirError(
                    400,
                    f"_type '{name}' is not one this export writes"
                    + (" de-identified" if deidentified else "")
                    + f": {', '.join(offered)}.",
                    expression="_type",
                )
            if name not in types:
                types.append(name)
    return Kickoff(types=types, since=_since(query.get("_since")), deidentified=deidentified)


def _flag(value: str | None) -> bool:
    if value in (None, "false"):
        return False
    if value == "true":
        return True
    raise FhirError(400, "deidentified is 'true' or 'false'.", expression="deidentified")


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in value:
        raise FhirError(
            400,
            f"_since '{value}' is not a FHIR instant with a time zone, e.g. 2026-06-01T00:00:00Z.",
            expression="_since",
        )
    return moment


def job_for(request: HttpRequest, user: User, job_id: uuid.UUID) -> ExportJob:
    """An export of the person's clinic that is still there; 404 (audited) otherwise."""
    job = ExportJob.objects.filter(pk=job_id, clinic_id=user.clinic_id).first()
    gone = job is None or job.state in (ExportState.CANCELLED, ExportState.EXPIRED)
    if job is not None and job.expires_at is not None and job.expires_at <= timezone.now():
        gone = True
    if gone or job is None:
        deny(
            request,
            status=404,
            object_type="fhir_export",
            object_id=str(job_id),
            patient_id=None,
            permission=Permission.BULK_EXPORT,
        )
        raise FhirError(404, f"No export {job_id} (never asked, cancelled or expired).")
    return job
