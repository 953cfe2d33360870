"""Errors as FHIR OperationOutcomes: every refusal and every bad request the FHIR endpoint
answers is one, naming what failed (`expression`: the search parameter, or the item's linkId)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.operationoutcome import OperationOutcome

from backto.readers.fhir.checked import checked

# The FHIR issue type of each HTTP status we answer with (http://hl7.org/fhir/issue-type).
ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    415: "not-supported",
    422: "processing",
}


class FhirError(Exception):
    """A request the FHIR endpoint refuses: raised anywhere below a view, answered as an
    OperationOutcome with this status."""

    def __init__(
        self,
        status: int,
        diagnostics: str,
        *,
        expression: str | None = None,
        code: str | None = None,
        issues: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.diagnostics = diagnostics
        self.expression = expression
        self.code = code or ISSUE_CODES.get(status, "processing")
        self.extra_issues = issues or []
        self.headers = headers or {}

    def outcome(self) -> dict[str, Any]:
        first = issue(self.code, self.diagnostics, self.expression)
        return operation_outcome([first, *self.extra_issues])


def issue(code: str, diagnostics: str, expression: str | None = None) -> dict[str, Any]:
    """One error issue of an OperationOutcome."""
    found: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        found["expression"] = [expression]
    return found


def operation_outcome(issues: list[dict[str, Any]]) -> dict[str, Any]:
    resource = {"resourceType": "OperationOutcome", "issue": issues}
    checked(OperationOutcome, resource)
    return resource
