"""The FHIR R4 endpoint under /fhir/: thin views over catalogue.py (which types, sources and
parameters), searching.py (search and read) and the builders. Authentication is a bearer
token only (backto.access.apitokens.http); every error is an OperationOutcome."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from backto.access.patients.access import deny
from backto.readers.fhir.catalogue import TYPES, ResourceType
from backto.readers.fhir.codes import CODE_SYSTEM_ID, code_system_resource
from backto.readers.fhir.everything import everything
from backto.readers.fhir.http import fhir_endpoint, fhir_response
from backto.readers.fhir.importing import import_one, import_transaction
from backto.readers.fhir.measures import questionnaires
from backto.readers.fhir.metadata import capability_statement
from backto.readers.fhir.openapi import openapi_schema
from backto.readers.fhir.outcomes import FhirError
from backto.readers.fhir.params import parse_search
from backto.readers.fhir.searching import read_found, searchset
from backto.readers.fhir.sources import base_url


@fhir_endpoint(public=True)
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement())


@fhir_endpoint(public=True)
def openapi(request: HttpRequest) -> HttpResponse:
    """The reads and searches as OpenAPI 3.1 (openapi.py), for generic clients and fuzzing."""
    response = fhir_response(openapi_schema())
    response["Content-Type"] = "application/json"
    return response


@fhir_endpoint(public=True)
def code_system(request: HttpRequest, ident: str) -> HttpResponse:
    if ident != CODE_SYSTEM_ID:
        raise FhirError(404, f"No CodeSystem with id {ident}: this server publishes 'backto'.")
    return fhir_response(code_system_resource())


@fhir_endpoint(methods=("POST",))
def transaction_bundle(request: HttpRequest) -> HttpResponse:
    """A transaction Bundle of QuestionnaireResponses (importing.py), all or nothing."""
    return fhir_response(import_transaction(request))


@fhir_endpoint(methods=("GET", "POST"))
def search(request: HttpRequest, type_name: str) -> HttpResponse:
    if request.method == "POST":
        if type_name != "QuestionnaireResponse":
            raise FhirError(
                405,
                f"This server takes {type_name} resources for reading only.",
                code="not-supported",
                headers={"Allow": "GET, HEAD"},
            )
        found = import_one(request)
        response = fhir_response(found.resource, 201)
        response["Location"] = f"{base_url()}/QuestionnaireResponse/{found.ident}"
        return response
    if type_name == "Questionnaire":
        return _questionnaires(request, None)
    kind = _kind(type_name)
    query = parse_search(request.GET, kind.param_names)
    return fhir_response(searchset(request, kind.name, kind.sources, query))


@fhir_endpoint()
def read(request: HttpRequest, type_name: str, ident: str) -> HttpResponse:
    if type_name == "Questionnaire":
        return _questionnaires(request, ident)
    kind = _kind(type_name)
    located = kind.source_for(ident)
    if located is None:  # an id this server never gives: refused as one that does not exist
        deny(
            request,
            status=404,
            object_type=kind.name,
            object_id=ident[:64],
            patient_id=None,
            permission=kind.sources[0].read[0],
        )
        raise FhirError(404, f"No {type_name} with id {ident}.")
    source, pk, sub = located
    return fhir_response(read_found(request, source, pk, sub).resource)


@fhir_endpoint()
def patient_everything(request: HttpRequest, ident: str) -> HttpResponse:
    if not ident.isdigit() or ident.startswith("0"):
        raise FhirError(404, f"No Patient with id {ident}.")
    return fhir_response(everything(request, int(ident)))


def _kind(type_name: str) -> ResourceType:
    kind = TYPES.get(type_name)
    if kind is None:
        served = ", ".join(sorted([*TYPES, "Questionnaire", "CodeSystem"]))
        raise FhirError(
            404,
            f"This server does not serve {type_name} resources; it serves {served}.",
            code="not-supported",
        )
    return kind


def _questionnaires(request: HttpRequest, ident: str | None) -> HttpResponse:
    if ident is None:
        parse_search(request.GET, frozenset(), paged=False)
    return fhir_response(questionnaires(request, ident))
