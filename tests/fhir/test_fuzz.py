"""schemathesis against FHIR's reads and searches on a live test server, bounded for `make
test`, from the OpenAPI description the endpoint serves (openapi.py): no server error, only the
statuses and content types it declares, and bodies of the declared resource type."""

from typing import Any

import pytest

from bench.api_fuzz import fuzz
from tests.api.test_fuzz import token_caller


def test_the_openapi_description_lists_every_type_served(client: Any, db: Any) -> None:
    from backto.readers.fhir.catalogue import TYPES

    paths = client.get("/fhir/openapi.json").json()["paths"]
    for name in TYPES:
        assert f"/fhir/{name}" in paths and f"/fhir/{name}/{{ident}}" in paths


@pytest.mark.slow
def test_generated_fhir_calls_get_answers_the_description_declares(
    live_server: Any,
    pat: Any,
    olive: Any,
    cora: Any,
    ada: Any,
    elsa: Any,
    active: Any,
    walk_item: Any,
) -> None:
    callers = [token_caller(u) for u in (pat, olive, cora, ada, elsa)]
    ids = {"ident": [str(active.patient_id), f"score-{active.pk}", "1"]}
    report = fuzz(
        live_server.url, callers, examples=3, known_ids=ids, schema_path="/fhir/openapi.json"
    )
    assert report.operations >= 2 * 11
    assert not report.failures, "\n".join(report.failures[:20])
    assert all(status < 500 for status in report.statuses)
    assert 200 in report.statuses
