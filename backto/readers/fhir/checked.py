"""Every resource BackTo answers is checked against its FHIR R4B model (`fhir.resources`)
where the settings ask for it: in the tests and in development, every one; in production, by
default none, because the check is most of a page's time (a 50-Observation page: about 4 ms a
resource, three quarters of the request, bench/RESULTS.md) and the builders it would check are
proved by the tests, which parse every body they get, and by the fuzzing (bench/api_fuzz.py).
`BACKTO_FHIR_CHECK_OUTPUT=1` turns it on in production too.

What a caller sends (an import) is always checked: that is input, not ours."""

from typing import Any

from django.conf import settings
from fhir.resources.R4B.fhirresourcemodel import FHIRResourceModel


def checked(model: type[FHIRResourceModel], resource: dict[str, Any]) -> dict[str, Any]:
    """The resource, after its model has accepted it where the settings ask (a ValidationError
    otherwise: a builder's fault, a server error, never an invalid answer)."""
    if settings.FHIR_CHECK_OUTPUT:
        model.model_validate(resource)
    return resource
