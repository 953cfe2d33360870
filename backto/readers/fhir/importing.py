"""Importing completed questionnaires: a QuestionnaireResponse (POST /fhir/QuestionnaireResponse)
or a transaction Bundle of them (POST /fhir), all or nothing.

Each response fills the child's questionnaire that is open for it (due or started: the one the
questionnaire page would show, the earliest due first) through the measures' own action,
`administration_answer` — the one the page calls when the care team enters a form from paper
(measure_enter) — so the answers are checked, scored, pinned to the instrument version and
audited exactly as there. A response that cannot be taken is refused whole with an
OperationOutcome naming the failing item (`expression`: its linkId) or field; in a Bundle,
nothing of any entry is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import transaction
from django.http import HttpRequest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError as ModelError

from backto.access.accounts.roles import Permission
from backto.access.patients.access import deny, has_permission, in_scope
from backto.access.patients.lifecycle import OPEN_STATES
from backto.access.patients.models import Patient
from backto.capabilities.measures.actions import administration_answer
from backto.capabilities.measures.models import ANSWERABLE_STATES, Administration
from backto.capabilities.measures.queries import answering_instrument, may_answer
from backto.clinical.fhir_questionnaire import INSTRUCTIONS_LINK_ID
from backto.clinical.instruments import Instrument, Item
from backto.clinical.scoring import score
from backto.readers.fhir.checked import checked
from backto.readers.fhir.measures import ResponseSource
from backto.readers.fhir.outcomes import FhirError
from backto.readers.fhir.sources import Found, Viewer

JSON_TYPES = ("application/fhir+json", "application/json")
MAX_ENTRIES = 100


def request_json(request: HttpRequest) -> Any:
    kind = request.content_type or ""
    if kind not in JSON_TYPES:
        raise FhirError(
            415, "Send the resource as application/fhir+json.", expression="Content-Type"
        )
    try:
        return json.loads(request.body)
    except RequestDataTooBig:
        raise FhirError(413, "The request is too large.", code="too-costly") from None
    except (ValueError, UnicodeDecodeError):
        raise FhirError(400, "The body is not JSON.", code="structure") from None


def _model_error(error: ModelError, resource_type: str) -> FhirError:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"] if part != "__root__")
    path = f"{resource_type}.{where}" if where else resource_type
    return FhirError(
        400, f"Not a valid {resource_type}: {first['msg']}.", expression=path, code="structure"
    )


def _instrument_id(canonical: str | None) -> tuple[str, str | None]:
    if not canonical or "Questionnaire/" not in canonical:
        raise FhirError(
            422,
            "'questionnaire' must name the instrument: .../Questionnaire/<id>|<version>.",
            expression="questionnaire",
        )
    tail = canonical.rsplit("Questionnaire/", 1)[1]
    instrument_id, _, version = tail.partition("|")
    return instrument_id, version or None


def _value(item: Item, answer: dict[str, Any]) -> Any:
    if "valueCoding" in answer:
        code = str(answer["valueCoding"].get("code", ""))
        try:
            number = float(code)
        except ValueError:
            return code
        return int(number) if number.is_integer() else number
    for key in ("valueInteger", "valueDecimal", "valueString", "valueBoolean"):
        if key in answer:
            return answer[key]
    raise FhirError(
        422,
        f"Item '{item.linkId}': give each answer as valueCoding, valueInteger, valueDecimal or "
        "valueString.",
        expression=item.linkId,
    )


def answers_of(resource: dict[str, Any], instrument: Instrument) -> dict[str, Any]:
    """The response's answers as BackTo stores them, each checked by the instrument's own rule
    on its own, so that a refusal names the item."""
    items = {item.linkId: item for item in instrument.items}
    answers: dict[str, Any] = {}
    for given in resource.get("item", []):
        link = str(given.get("linkId", ""))
        if link == INSTRUCTIONS_LINK_ID:
            continue
        item = items.get(link)
        if item is None:
            raise FhirError(
                422,
                f"'{link}' is not an item of {instrument.id} {instrument.version}.",
                expression=link,
            )
        if given.get("item"):
            raise FhirError(
                422, f"Item '{link}' holds items; {instrument.id} has none nested.", expression=link
            )
        if link in answers:
            raise FhirError(422, f"Item '{link}' is given twice.", expression=link)
        values = [_value(item, a) for a in given.get("answer", [])]
        if not values:
            continue
        if item.repeats:
            value: Any = values
        elif len(values) > 1:
            raise FhirError(422, f"Item '{link}' takes one answer.", expression=link)
        else:
            value = values[0]
        problems = score(instrument, {link: value}).errors
        if problems:
            raise FhirError(422, f"Item '{link}': {problems[0]}", expression=link)
        answers[link] = value
    return answers


@dataclass(frozen=True)
class Prepared:
    """A response checked and matched to the questionnaire it fills, nothing written yet."""

    administration: Administration
    answers: dict[str, Any]
    language: str


def prepare(
    request: HttpRequest, resource: Any, *, taken: frozenset[int] = frozenset()
) -> Prepared:
    """Check one QuestionnaireResponse and find the open questionnaire it fills (not one of
    `taken`, those earlier entries of a Bundle fill); FhirError when it cannot be taken. Writes
    nothing but the audit event of a refusal, outside any transaction that a later failure
    would roll back."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "QuestionnaireResponse":
        raise FhirError(400, "Send a QuestionnaireResponse.", expression="resourceType")
    try:
        QuestionnaireResponse.model_validate(resource)
    except ModelError as error:
        raise _model_error(error, "QuestionnaireResponse") from None
    if resource.get("status") != "completed":
        raise FhirError(
            422, "Only a completed response is imported: status 'completed'.", expression="status"
        )
    subject = str((resource.get("subject") or {}).get("reference", ""))
    kind, _, ident = subject.partition("/")
    if kind != "Patient" or not ident.isdigit():
        raise FhirError(422, "'subject' must be the child: Patient/<id>.", expression="subject")
    user = request.user
    patient = Patient.objects.filter(pk=int(ident), clinic_id=user.clinic_id).first()  # type: ignore[union-attr]
    if patient is None or not in_scope(user, patient):
        deny(
            request,
            status=404,
            object_type="QuestionnaireResponse",
            object_id="",
            patient_id=None,
            permission=Permission.MEASURE_ENTER,
        )
        raise FhirError(404, f"No Patient with id {ident}.", expression="subject")
    if not has_permission(user, Permission.MEASURE_ENTER, patient):
        deny(
            request,
            status=403,
            object_type="QuestionnaireResponse",
            object_id="",
            patient_id=patient.pk,
            permission=Permission.MEASURE_ENTER,
        )
        raise FhirError(403, "Your role does not allow entering questionnaires (measure_enter).")
    instrument_id, version = _instrument_id(resource.get("questionnaire"))
    administration = (
        Administration.objects.select_related("episode__patient")
        .filter(
            episode__patient=patient,
            episode__state__in=sorted(OPEN_STATES),
            instrument_id=instrument_id,
            state__in=ANSWERABLE_STATES,
        )
        .exclude(pk__in=sorted(taken))
        .order_by("due_on", "pk")
        .first()
    )
    if administration is None:
        raise FhirError(
            422,
            f"The child has no {instrument_id} questionnaire open (due or started) to fill.",
            expression="questionnaire",
        )
    if not may_answer(user, administration):  # type: ignore[arg-type]
        raise FhirError(403, "This questionnaire is answered by someone else.")
    try:
        instrument = answering_instrument(administration)
    except ValidationError as error:
        raise FhirError(422, error.messages[0], expression="questionnaire") from None
    if version is not None and version != instrument.version:
        raise FhirError(
            422,
            f"This questionnaire is answered on {instrument_id} version {instrument.version}, "
            f"not {version}.",
            expression="questionnaire",
        )
    return Prepared(
        administration=administration,
        answers=answers_of(resource, instrument),
        language=str(resource.get("language") or "en")[:8],
    )


def apply(request: HttpRequest, prepared: Prepared) -> Found:
    """Fill the questionnaire through the measures' own action; the stored response."""
    user: Any = request.user
    try:
        saved = administration_answer(
            by=user,
            administration=prepared.administration,
            answers=prepared.answers,
            finish=True,
            language=prepared.language,
            reader_language="",
        )
    except PermissionDenied as error:
        raise FhirError(403, str(error)) from None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            link, messages = next(iter(error.message_dict.items()))
            raise FhirError(422, f"Item '{link}': {messages[0]}", expression=link) from None
        raise FhirError(422, error.messages[0], expression="item") from None
    viewer = Viewer(user)
    stored = ResponseSource().in_clinic(viewer).get(pk=saved.administration.pk)
    return ResponseSource().build([stored], viewer)[0]


def import_one(request: HttpRequest) -> Found:
    prepared = prepare(request, request_json(request))
    with transaction.atomic():
        return apply(request, prepared)


@contextmanager
def _naming_entry(number: int) -> Iterator[None]:
    """A refusal of one entry of a Bundle, naming the entry beside the failing item."""
    where = f"Bundle.entry[{number}]"
    try:
        yield
    except FhirError as error:
        raise FhirError(
            error.status,
            f"Entry {number}: {error.diagnostics} Nothing of this Bundle was saved.",
            expression=error.expression or where,
            code=error.code,
            issues=[
                {
                    "severity": "information",
                    "code": "informational",
                    "diagnostics": where,
                    "expression": [where],
                }
            ],
        ) from None


def import_transaction(request: HttpRequest) -> dict[str, Any]:
    """A transaction Bundle of QuestionnaireResponses: every one taken, or none."""
    bundle = request_json(request)
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise FhirError(400, "Send a transaction Bundle.", expression="resourceType")
    try:
        Bundle.model_validate(bundle)
    except ModelError as error:
        raise _model_error(error, "Bundle") from None
    if bundle.get("type") != "transaction":
        raise FhirError(
            422, "Only a Bundle of type 'transaction' is taken.", expression="Bundle.type"
        )
    entries = bundle.get("entry", [])
    if not entries or len(entries) > MAX_ENTRIES:
        raise FhirError(
            422, f"A transaction holds 1 to {MAX_ENTRIES} entries.", expression="Bundle.entry"
        )
    prepared: list[Prepared] = []
    for number, entry in enumerate(entries):
        asked = entry.get("request") or {}
        if asked.get("method") != "POST" or str(asked.get("url", "")).strip("/") != (
            "QuestionnaireResponse"
        ):
            raise FhirError(
                422,
                f"Entry {number}: each entry is a POST to QuestionnaireResponse.",
                expression=f"Bundle.entry[{number}].request",
            )
        taken = frozenset(p.administration.pk for p in prepared)
        with _naming_entry(number):
            prepared.append(prepare(request, entry.get("resource"), taken=taken))
    stored: list[Found] = []
    with transaction.atomic():
        for number, one in enumerate(prepared):
            with _naming_entry(number):
                stored.append(apply(request, one))
    response = {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [
            {
                "response": {
                    "status": "201 Created",
                    "location": f"QuestionnaireResponse/{found.ident}",
                },
                "resource": found.resource,
            }
            for found in stored
        ],
    }
    checked(Bundle, response)
    return response
