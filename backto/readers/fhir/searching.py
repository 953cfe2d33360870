"""Search and read, for any resource type made of sources (sources.py): the searchset Bundle
with its next link, one resource by id, and the audit event of each response."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from fhir.resources.R4B.bundle import Bundle

from backto.access.patients.access import deny, has_permission, in_scope
from backto.access.patients.models import Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.readers.fhir.checked import checked
from backto.readers.fhir.outcomes import FhirError
from backto.readers.fhir.params import Search, write_cursor
from backto.readers.fhir.sources import Found, Source, Viewer, base_url


def one_child(request: HttpRequest, found: Sequence[Found], asked: int | None) -> int | None:
    """The child a response is about, when it is about one (for the audit event): the child
    asked for when they are in the person's circle (an outsider's search for a child is not a
    read of that child's record, and stays out of the family's access log), else the one child
    of every result."""
    if asked is not None:
        user: Any = request.user
        child = Patient.objects.filter(pk=asked, clinic_id=user.clinic_id).first()
        return asked if child is not None and in_scope(user, child) else None
    children = {f.patient_id for f in found}
    return children.pop() if len(children) == 1 else None


def search_found(
    request: HttpRequest, type_name: str, sources: Sequence[Source], search: Search
) -> tuple[list[Found], bool]:
    """One page of this type's resources for the request's person, and whether more follow.
    403 (audited) when none of the type's sources is open to their role."""
    viewer = Viewer(request.user)  # type: ignore[arg-type]
    permitted = [s for s in sources if s.allowed(viewer)]
    if not permitted:
        deny(
            request,
            status=403,
            object_type=type_name,
            object_id="",
            patient_id=search.patient,
            permission=sources[0].read[0],
        )
        raise FhirError(403, f"Your role does not allow reading {type_name} resources.")
    found: list[Found] = []
    if not search.empty_range:
        for source in permitted:
            found.extend(source.page(viewer, search))
    found.sort(key=lambda f: f.key, reverse=search.newest_first)
    return found[: search.count], len(found) > search.count


def searchset(
    request: HttpRequest, type_name: str, sources: Sequence[Source], search: Search
) -> dict[str, Any]:
    page, more = search_found(request, type_name, sources, search)
    address = f"{base_url()}/{type_name}"
    links = [{"relation": "self", "url": _url(address, search.given, request.GET.get("_cursor"))}]
    if more:
        links.append(
            {"relation": "next", "url": _url(address, search.given, write_cursor(page[-1].key))}
        )
    bundle = bundle_of("searchset", page, links=links)
    audit(
        by=request.user,
        action=Action.VIEW,
        object_type=type_name,
        object_id="",
        patient_id=one_child(request, page, search.patient),
        detail=f"fhir search {search.detail()} results={len(page)}".replace("  ", " "),
    )
    return bundle


def _url(address: str, given: list[tuple[str, str]], cursor: str | None) -> str:
    pairs = [*given, ("_cursor", cursor)] if cursor else list(given)
    return f"{address}?{urlencode(pairs)}" if pairs else address


def bundle_of(
    kind: str,
    found: Sequence[Found],
    *,
    links: list[dict[str, str]] | None = None,
    complete: bool = False,
) -> dict[str, Any]:
    """A Bundle of these resources (searchset entries say they matched), checked with the R4B
    Bundle model. `complete`: no page follows, so the total is known."""
    entries = []
    for item in found:
        entry: dict[str, Any] = {
            "fullUrl": f"{base_url()}/{item.resource['resourceType']}/{item.ident}",
            "resource": item.resource,
        }
        if kind == "searchset":
            entry["search"] = {"mode": "match"}
        entries.append(entry)
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": kind}
    if links:
        bundle["link"] = links
    if complete:  # every match is in this Bundle (no paging): say how many
        bundle["total"] = len(entries)
    # Each resource was checked with its own R4B model when it was built: the Bundle is checked
    # around them (checking them twice doubled the time of a page).
    checked(Bundle, bundle | {"entry": [_without_resource(e) for e in entries]})
    bundle["entry"] = entries
    return bundle


def _without_resource(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if key != "resource"}


def read_found(request: HttpRequest, source: Source, pk: int, sub: int = 0) -> Found:
    """One resource by its row's id (see `loaded`), its read audited as a view of it."""
    row, found = loaded(request, source, pk, sub)
    audit(
        by=request.user,
        action=Action.VIEW,
        object_type=source.audit_type(row),
        object_id=found.ident,
        patient_id=found.patient_id,
        detail="fhir read",
    )
    return found


def loaded(request: HttpRequest, source: Source, pk: int, sub: int = 0) -> tuple[Any, Found]:
    """A row and its resource, loaded as a loader would: 404 (audited) when it does not exist,
    is another clinic's or its child is outside the person's circle (or the person may not know
    of it at all); 403 (audited) when the role may not read it. The caller audits the read."""
    viewer = Viewer(request.user)  # type: ignore[arg-type]
    user = viewer.user
    ident = source.ident(pk, sub)
    asked = next((p for p in source.read if viewer.holds(p)), source.read[0])
    row = source.in_clinic(viewer).filter(pk=pk).first()
    patient = source.patient_of(row) if row is not None else None
    reachable = (
        row is not None
        and (patient is None or in_scope(user, patient))
        and source.visible_row(viewer, row)
    )
    built = [f for f in source.build([row], viewer) if f.key[3] == sub] if reachable else []
    if not built:
        deny(
            request,
            status=404,
            object_type=source.audit_type(row) if row is not None else source.resource_type,
            object_id=ident,
            patient_id=patient.pk if patient is not None and reachable else None,
            permission=asked,
        )
        raise FhirError(404, f"No {source.resource_type} with id {ident}.")
    if not _permitted(viewer, source, patient):
        deny(
            request,
            status=403,
            object_type=source.audit_type(row),
            object_id=ident,
            patient_id=patient.pk if patient is not None else None,
            permission=asked,
        )
        raise FhirError(403, f"Your role does not allow reading {source.resource_type} resources.")
    return row, built[0]


def _permitted(viewer: Viewer, source: Source, patient: Any) -> bool:
    if patient is None:
        return source.allowed(viewer)
    return any(has_permission(viewer.user, p, patient) for p in source.read)
