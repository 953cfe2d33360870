"""The CapabilityStatement at /fhir/metadata: exactly the types, interactions, search
parameters and operations this server answers, read from catalogue.py."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from backto.readers.fhir.catalogue import TYPES
from backto.readers.fhir.checked import checked
from backto.readers.fhir.codes import CODE_SYSTEM_VERSION

SOFTWARE_VERSION = "1"
READ_SEARCH = [{"code": "read"}, {"code": "search-type"}]


BULK_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"
PATIENT_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"


def bulk_export_served() -> bool:
    """Is the Bulk Data export (the fhirexport reader, which builds on this one) mounted? Asked
    of the URL configuration, so that this reader does not import the one above it."""
    try:
        reverse("fhirexport:kickoff")
    except NoReverseMatch:
        return False
    return True


def _resource(kind: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "type": kind.name,
        "documentation": kind.summary,
        "interaction": READ_SEARCH,
        "searchParam": [
            {"name": name, "type": fhir_type, "documentation": words}
            for name, fhir_type, words in kind.params
        ],
    }
    if kind.name == "QuestionnaireResponse":
        found["interaction"] = [
            *READ_SEARCH,
            {
                "code": "create",
                "documentation": "Import a completed response (read-write token, measure_enter): "
                "it fills the child's open questionnaire of that instrument through the same "
                "action as the questionnaire page; refused whole with the failing item's linkId.",
            },
        ]
    if kind.name == "Patient":
        found["operation"] = [
            *(
                [
                    {
                        "name": "export",
                        "definition": PATIENT_EXPORT,
                        "documentation": "Bulk Data export of the children's records "
                        "(docs/fhir-bulk-export.md).",
                    }
                ]
                if bulk_export_served()
                else []
            ),
            {
                "name": "everything",
                "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                "documentation": "GET Patient/<id>/$everything: every resource about the child "
                "that the person may read, in one Bundle (no paging).",
            },
        ]
    return found


@cache
def capability_statement() -> dict[str, Any]:
    resources = [_resource(kind) for kind in TYPES.values()]
    resources.append(
        {
            "type": "Questionnaire",
            "documentation": "The instruments, with the clinic's installed wording; the search "
            "returns all of them in one Bundle.",
            "interaction": READ_SEARCH,
        }
    )
    resources.append(
        {
            "type": "CodeSystem",
            "documentation": "BackTo's own codes (CodeSystem/backto), readable without a token.",
            "interaction": [{"code": "read"}],
        }
    )
    resources.sort(key=lambda r: r["type"])
    statement = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-06",
        "publisher": "BackTo project",
        "kind": "instance",
        "software": {"name": "BackTo", "version": SOFTWARE_VERSION},
        "implementation": {
            "description": "BackTo FHIR R4 endpoint (read-only views of the program's records; "
            f"project codes version {CODE_SYSTEM_VERSION})",
            "url": f"{settings.SITE_URL}/fhir",
        },
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Every request but this statement and CodeSystem/backto needs "
                "'Authorization: Bearer <token>' (a personal access token, docs/fhir.md); the "
                "token acts as the person who made it, with their permissions.",
                "security": {
                    "cors": False,
                    "description": "Bearer personal access tokens (RFC 6750).",
                },
                "resource": resources,
                **(
                    {
                        "operation": [
                            {
                                "name": "export",
                                "definition": BULK_EXPORT,
                                "documentation": "Bulk Data export of the clinic "
                                "(docs/fhir-bulk-export.md).",
                            }
                        ]
                    }
                    if bulk_export_served()
                    else {}
                ),
                "interaction": [
                    {
                        "code": "transaction",
                        "documentation": "POST /fhir: a transaction Bundle of "
                        "QuestionnaireResponse creates, all or nothing.",
                    }
                ],
            }
        ],
    }
    checked(CapabilityStatement, statement)
    return statement
