"""Questionnaires: the instruments (Questionnaire), each completed administration
(QuestionnaireResponse) and its score (Observation `score-<id>`), which names the instrument,
its version, the scoring rule and the engine that applied it, and points to the response it
was derived from."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from backto.access.accounts.models import Clinic
from backto.access.accounts.roles import Permission
from backto.access.patients.access import deny
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.instruments.queries import installed_packs
from backto.capabilities.measures.models import Administration
from backto.clinical.fhir_questionnaire import answer_system, questionnaire_resource
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument
from backto.readers.fhir import codes
from backto.readers.fhir.checked import checked
from backto.readers.fhir.outcomes import FhirError
from backto.readers.fhir.params import Token
from backto.readers.fhir.searching import bundle_of
from backto.readers.fhir.sources import Found, Source, Viewer, base_url, reference

INSTRUMENT_EXTENSION = "urn:backto:extension:instrument"
ENGINE_EXTENSION = "urn:backto:extension:scoring-engine"
RULE_EXTENSION = "urn:backto:extension:scoring-rule"
QUESTIONNAIRE_READ = (
    Permission.MEASURE_VIEW,
    Permission.MEASURE_ANSWER,
    Permission.MEASURE_ENTER,
    Permission.INSTRUMENT_MANAGE,
)


def canonical(instrument_id: str, version: str) -> str:
    return f"{base_url()}/Questionnaire/{instrument_id}" + (f"|{version}" if version else "")


def number(value: Any) -> int | float:
    exact = Decimal(str(value))
    return int(exact) if exact == exact.to_integral_value() else float(exact)


# Questionnaire ---------------------------------------------------------------------------------


def clinic_questionnaires(clinic: Clinic) -> list[dict[str, Any]]:
    """Every instrument (its newest version) as a Questionnaire with the clinic's English
    wording where it installed one: one query for the clinic's packs."""
    packs = installed_packs(clinic)
    resources = []
    for instrument in instrument_registry():
        pack = packs.get((instrument.id, instrument.version))
        worded = pack.instrument() if pack is not None else instrument
        resources.append(questionnaire_resource(worded, base_url=settings.SITE_URL))
    return resources


def questionnaires(request: HttpRequest, ident: str | None) -> dict[str, Any]:
    """The instruments with the clinic's wording, for whoever reads, answers, enters or chooses
    questionnaires: all of them in one Bundle (a few dozen at most), or one by id. One audit
    event; a refusal audited as the loaders do."""
    user = request.user
    held: frozenset[Permission] = getattr(user, "permissions", frozenset())
    asked = next((p for p in QUESTIONNAIRE_READ if p in held), QUESTIONNAIRE_READ[0])
    resources = clinic_questionnaires(user.clinic) if asked in held else []  # type: ignore[union-attr]
    chosen = [r for r in resources if ident is None or r["id"] == ident]
    if asked not in held or (ident is not None and not chosen):
        status = 403 if asked not in held else 404
        deny(
            request,
            status=status,
            object_type="Questionnaire",
            object_id=ident or "",
            patient_id=None,
            permission=asked,
        )
        if status == 403:
            raise FhirError(403, "Your role does not allow reading Questionnaire resources.")
        raise FhirError(404, f"No Questionnaire with id {ident}.")
    audit(
        by=user,
        action=Action.VIEW,
        object_type="Questionnaire",
        object_id=ident or "",
        detail="fhir read" if ident else f"fhir search results={len(chosen)}",
    )
    if ident is not None:
        return chosen[0]
    found = [Found(("", 0, n, 0), None, r) for n, r in enumerate(chosen, start=1)]
    return bundle_of("searchset", found, complete=True)


# QuestionnaireResponse -------------------------------------------------------------------------


def _answers(item_type: str, value: Any, system: str) -> list[dict[str, Any]]:
    values = value if isinstance(value, list) else [value]
    answers: list[dict[str, Any]] = []
    for one in values:
        if item_type == "choice":
            answers.append({"valueCoding": {"system": system, "code": str(one)}})
        elif isinstance(one, bool) or item_type == "text" or isinstance(one, str):
            answers.append({"valueString": str(one)})
        elif item_type == "integer" or isinstance(one, int):
            answers.append({"valueInteger": int(one)})
        else:
            answers.append({"valueDecimal": number(one)})
    return answers


def response_items(
    instrument: Instrument | None, answers: dict[str, Any], instrument_id: str
) -> list[dict[str, Any]]:
    """The answers as items, in the instrument's order (unknown ones after, as given)."""
    system = answer_system(instrument_id)
    types = {item.linkId: item.type for item in instrument.items} if instrument else {}
    order = list(types) + [link for link in answers if link not in types]
    return [
        {"linkId": link, "answer": _answers(types.get(link, ""), answers[link], system)}
        for link in order
        if link in answers and answers[link] not in (None, "", [])
    ]


def completed() -> QuerySet[Administration]:
    """The completed administrations, asked by their completion moment (set when, and only when,
    an administration is completed, which is final): asked by state instead, SQLite without
    statistics walks every completed questionnaire of every clinic through the state index
    before it finds one child's (0.6 s on 10,000 children, against 2 ms)."""
    return Administration.objects.filter(completed_at__isnull=False)


class ResponseSource(Source):
    """A completed questionnaire, item by item: for the care team (measure_answers_view)."""

    resource_type = "QuestionnaireResponse"
    model = Administration
    patient_path = "episode__patient"
    read = (Permission.MEASURE_ANSWERS_VIEW,)
    day_field = "completed_at"
    day_is_moment = True

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return completed().select_related("episode__patient", "completed_by")

    def code_filter(self, tokens: list[Token]) -> Q | None:
        ids = {t.code for t in tokens if t.system in (None, codes.SYSTEM)}
        return Q(instrument_id__in=sorted(ids)) if ids else None

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for adm in rows:
            patient_id = adm.episode.patient_id
            instrument = instrument_registry().find(
                adm.instrument_id, adm.instrument_version or None
            )
            resource: dict[str, Any] = {
                "resourceType": "QuestionnaireResponse",
                "id": str(adm.pk),
                "questionnaire": canonical(adm.instrument_id, adm.instrument_version),
                "status": "completed",
                "subject": reference("Patient", patient_id),
                "encounter": None,
                "authored": adm.completed_at.isoformat() if adm.completed_at else None,
                "item": response_items(instrument, adm.answers, adm.instrument_id),
            }
            if adm.completed_by is not None and adm.completed_by.is_staff_member:
                resource["author"] = reference("Practitioner", adm.completed_by_id)
            if adm.respondent == "child":
                resource["source"] = reference("Patient", patient_id)
            resource = {k: v for k, v in resource.items() if v not in (None, [])}
            checked(QuestionnaireResponse, resource)
            found.append(Found(self.key(adm), patient_id, resource))
        return found


# Observation: the scores -----------------------------------------------------------------------


def score_observation(adm: Administration) -> dict[str, Any]:
    result: dict[str, Any] = adm.result or {}
    instrument = instrument_registry().find(adm.instrument_id, adm.instrument_version or None)
    title = instrument.title if instrument else adm.instrument_id
    version = str(result.get("instrument_version") or adm.instrument_version)
    rule = str(result.get("rule") or "")
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"score-{adm.pk}",
        "extension": [
            {"url": INSTRUMENT_EXTENSION, "valueCanonical": canonical(adm.instrument_id, version)},
            {"url": ENGINE_EXTENSION, "valueString": adm.engine_version or "unknown"},
        ],
        "status": "final",
        "category": [
            {
                "coding": [
                    {"system": codes.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
                ]
            }
        ],
        "code": {"coding": codes.total_codings(adm.instrument_id, title), "text": title},
        "subject": reference("Patient", adm.episode.patient_id),
        "effectiveDateTime": adm.completed_at.isoformat() if adm.completed_at else None,
        "derivedFrom": [reference("QuestionnaireResponse", adm.pk)],
    }
    if rule:
        resource["extension"].append({"url": RULE_EXTENSION, "valueString": rule})
        # the rule as the engine wrote it names the instrument, its version and the engine
        resource["method"] = {"text": rule}
    total = result.get("total")
    if total is None:
        resource["dataAbsentReason"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    "code": "not-performed",
                    "display": "Not Performed",
                }
            ],
            "text": "Too many items unanswered to score, by the instrument's missing-item rule.",
        }
    else:
        resource["valueQuantity"] = {"value": number(total), "unit": "score"}
    if result.get("band"):
        resource["interpretation"] = [{"text": str(result["band"])}]
    if instrument is not None and instrument.scoring is not None and instrument.scoring.range:
        scale = instrument.scoring.range
        resource["referenceRange"] = [
            {
                "low": {"value": number(scale.min)},
                "high": {"value": number(scale.max)},
                "text": "the instrument's range",
            }
        ]
    notes = [str(n) for n in result.get("notes", [])]
    if result.get("prorated"):
        notes.append("Prorated for unanswered items, by the instrument's missing-item rule.")
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    components = []
    for name, value in (result.get("subscales") or {}).items():
        component: dict[str, Any] = {
            "code": {"coding": [codes.coding(codes.subscale_code(adm.instrument_id, name))]}
        }
        if value is None:
            component["dataAbsentReason"] = {"text": "Not scored: items unanswered."}
        else:
            component["valueQuantity"] = {"value": number(value), "unit": "score"}
        components.append(component)
    if components:
        resource["component"] = components
    resource = {k: v for k, v in resource.items() if v is not None}
    checked(Observation, resource)
    return resource


class ScoreSource(Source):
    """A completed questionnaire's score, for those who see results (measure_view)."""

    resource_type = "Observation"
    rank = 0
    prefix = "score"
    model = Administration
    patient_path = "episode__patient"
    read = (Permission.MEASURE_VIEW,)
    day_field = "completed_at"
    day_is_moment = True

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return completed().select_related("episode__patient")

    def code_filter(self, tokens: list[Token]) -> Q | None:
        ids: set[str] = set()
        for token in tokens:
            ids |= codes.instruments_by_code(token.system, token.code)
        return Q(instrument_id__in=sorted(ids)) if ids else None

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        return [Found(self.key(a), a.episode.patient_id, score_observation(a)) for a in rows]
