"""`Patient/<id>/$everything`: every resource about one child that the person may read, in one
searchset Bundle. Each kind of record is one query (or two) whatever the child's history, and
the response is one audit event."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from backto.access.patients.access import has_permission
from backto.audit.log import audit
from backto.audit.models import Action
from backto.readers.fhir.catalogue import TYPES
from backto.readers.fhir.people import PatientSource
from backto.readers.fhir.searching import bundle_of, loaded
from backto.readers.fhir.sources import Found, Viewer


def everything(request: HttpRequest, patient_pk: int) -> dict[str, Any]:
    patient, child = loaded(request, PatientSource(), patient_pk)
    viewer = Viewer(request.user)  # type: ignore[arg-type]
    found: list[Found] = [child]
    for kind in TYPES.values():
        for source in kind.sources:
            if source.patient_path in (None, "") or not any(
                has_permission(viewer.user, p, patient) for p in source.read
            ):
                continue
            rows = source.scoped(viewer).filter(**{f"{source.patient_path}_id": patient_pk})
            order = ["fhir_day", "pk"] if source.day_field else ["pk"]
            found.extend(source.build(list(rows.order_by(*order)), viewer))
    audit(
        by=viewer.user,
        action=Action.VIEW,
        object_type="Patient",
        object_id=str(patient_pk),
        patient_id=patient_pk,
        # no counts: a family reading the access log must not learn of the teen's messages
        detail="fhir $everything",
    )
    return bundle_of("searchset", found, complete=True)
