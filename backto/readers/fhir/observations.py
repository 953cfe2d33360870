"""The other Observations: a day's diary (`diary-<id>`, a panel of its answers), body-map
findings (`bodymap-<map>-<n>`, one per painful region, with its bodySite) and functional tests
(`functional-<id>`), each naming what made it.

Teen privacy: a teen's private diary answers (mood, what she did, her win) are left out for
anyone but the care team and the teen (patients.access.sees_teen_private, asked for the whole
page at once); the child's pain follows the diary's own rule (diary.queries.pain_shown)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from fhir.resources.R4B.observation import Observation

from backto.access.accounts.roles import Permission
from backto.access.patients.respondents import Respondent
from backto.capabilities.diary.models import DiaryEntry
from backto.capabilities.diary.queries import pain_visible
from backto.capabilities.exam.models import FunctionalTest, PainMap
from backto.clinical.body_map import region as body_region
from backto.clinical.fhir_questionnaire import answer_system
from backto.clinical.functional_tests import TESTS
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Item
from backto.readers.fhir import codes
from backto.readers.fhir.checked import checked
from backto.readers.fhir.measures import ENGINE_EXTENSION, INSTRUMENT_EXTENSION, canonical, number
from backto.readers.fhir.params import Token
from backto.readers.fhir.sources import Found, Source, Viewer, reference

PRIVATE_EXTENSION = "urn:backto:extension:private-from-guardians"
REGION_SYSTEM = "urn:backto:body-map-region"
DIARY_IDS = ("daily-diary", "daily-diary-parent")


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": code, "display": display}]}]


def _pain_codings(item: Item, instrument_id: str) -> list[dict[str, str]]:
    ours = [codes.coding(f"{instrument_id}.{item.linkId}", item.label or item.linkId)]
    if item.linkId == "pain" and [o.value for o in item.answerOption] == list(range(11)):
        loinc, display = codes.LOINC_TOTALS["nrs-pain"]
        return [{"system": codes.LOINC, "code": loinc, "display": display}, *ours]
    return ours


def _components(item: Item, value: Any, instrument_id: str) -> list[dict[str, Any]]:
    code = {"coding": _pain_codings(item, instrument_id), "text": item.label or item.linkId}
    labels = {o.value: o.label for o in item.answerOption}
    values = value if isinstance(value, list) else [value]
    found = []
    for one in values:
        component: dict[str, Any] = {"code": code}
        if item.type == "choice":
            concept: dict[str, Any] = {"system": answer_system(instrument_id), "code": str(one)}
            if labels.get(one):
                concept["display"] = str(labels[one])
            component["valueCodeableConcept"] = {"coding": [concept]}
        elif item.type in ("decimal", "integer") and not isinstance(one, str):
            quantity: dict[str, Any] = {"value": number(one)}
            if item.linkId.endswith("_hours"):
                quantity |= {"unit": "h", "system": codes.UCUM, "code": "h"}
            component["valueQuantity"] = quantity
        else:
            component["valueString"] = str(one)
        found.append(component)
    return found


class DiarySource(Source):
    """A day's diary by the child or a parent, for whoever opens the diary calendar."""

    resource_type = "Observation"
    rank = 1
    prefix = "diary"
    model = DiaryEntry
    patient_path = "patient"
    read = (Permission.PATIENT_VIEW,)
    day_field = "day"

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return DiaryEntry.objects.select_related("patient__diary_settings")

    def code_filter(self, tokens: list[Token]) -> Q | None:
        ids = {t.code for t in tokens if t.system in (None, codes.SYSTEM) and t.code in DIARY_IDS}
        return Q(instrument_id__in=sorted(ids)) if ids else None

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        private_ok = viewer.sees_private([e.patient for e in rows])
        found = []
        for entry in rows:
            sees_private = entry.patient_id in private_ok
            answers = entry.answers_for(sees_private=sees_private)
            instrument = instrument_registry().find(entry.instrument_id, entry.instrument_version)
            items = instrument.items if instrument is not None else []
            kept = set(entry.private_fields) if entry.respondent == Respondent.CHILD else set()
            components = []
            for item in items:
                if item.linkId not in answers or answers[item.linkId] in (None, "", []):
                    continue
                if item.linkId == "pain" and not pain_visible(
                    viewer.user.permissions,
                    entry.respondent,
                    getattr(entry.patient, "diary_settings", None),
                ):
                    continue
                parts = _components(item, answers[item.linkId], entry.instrument_id)
                if item.linkId in kept:
                    for part in parts:
                        part["extension"] = [{"url": PRIVATE_EXTENSION, "valueBoolean": True}]
                components.extend(parts)
            title = instrument.title if instrument is not None else entry.instrument_id
            resource: dict[str, Any] = {
                "resourceType": "Observation",
                "id": f"diary-{entry.pk}",
                "extension": [
                    {
                        "url": INSTRUMENT_EXTENSION,
                        "valueCanonical": canonical(entry.instrument_id, entry.instrument_version),
                    }
                ],
                "status": "final",
                "category": _category("survey", "Survey"),
                "code": {"coding": [codes.coding(entry.instrument_id, title)], "text": title},
                "subject": reference("Patient", entry.patient_id),
                "effectiveDateTime": entry.day.isoformat(),
            }
            if entry.respondent == Respondent.CHILD:
                resource["performer"] = [reference("Patient", entry.patient_id)]
            if components:
                resource["component"] = components
            else:
                resource["dataAbsentReason"] = {"text": "No answer this reader may see."}
            checked(Observation, resource)
            found.append(Found(self.key(entry), entry.patient_id, resource))
        return found


class BodyMapSource(Source):
    """Each region marked painful on a body map, with its bodySite: for exam_view."""

    resource_type = "Observation"
    rank = 2
    prefix = "bodymap"
    numbered = True
    model = PainMap
    patient_path = "episode__patient"
    read = (Permission.EXAM_VIEW,)
    day_field = "day"

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        # a map marked "nowhere" has no finding to give (and a page's rows must each give one)
        return PainMap.objects.select_related("episode__patient").exclude(regions=[])

    def code_filter(self, tokens: list[Token]) -> Q | None:
        wanted = any(
            t.system in (None, codes.SYSTEM) and t.code == codes.BODY_MAP_PAIN for t in tokens
        )
        return Q() if wanted else None

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for pain_map in rows:
            patient_id = pain_map.episode.patient_id
            for number_in_map, region_id in enumerate(pain_map.regions, start=1):
                place = body_region(region_id)
                site: dict[str, Any] = {"coding": [], "text": place.label}
                if place.snomed_ct:
                    site["coding"].append(
                        {
                            "system": codes.SNOMED,
                            "code": place.snomed_ct,
                            "display": place.snomed_ct_display,
                        }
                    )
                site["coding"].append({"system": REGION_SYSTEM, "code": place.id})
                if place.side in ("left", "right"):
                    site["text"] += f" ({place.side})"
                resource: dict[str, Any] = {
                    "resourceType": "Observation",
                    "id": f"bodymap-{pain_map.pk}-{number_in_map}",
                    "status": "final",
                    "category": _category("exam", "Exam"),
                    "code": {
                        "coding": [codes.coding(codes.BODY_MAP_PAIN, "Pain marked at a body site")]
                    },
                    "subject": reference("Patient", patient_id),
                    "effectiveDateTime": pain_map.day.isoformat(),
                    "valueBoolean": True,
                    "bodySite": site,
                    "method": {
                        "text": f"Body map ({pain_map.get_respondent_display().lower()}'s), "
                        f"{pain_map.label}; region catalogue version "
                        f"{pain_map.result.get('catalogue_version', '')}".strip()
                    },
                }
                checked(Observation, resource)
                found.append(Found(self.key(pain_map, number_in_map), patient_id, resource))
        return found


UNITS = {"m": "m", "s": "s", "kg": "kg", "cm": "cm", "pct": "%"}


class FunctionalTestSource(Source):
    """A functional test's result, traced to its rule and engine: for exam_view."""

    resource_type = "Observation"
    rank = 4
    prefix = "functional"
    model = FunctionalTest
    patient_path = "episode__patient"
    read = (Permission.EXAM_VIEW,)
    day_field = "day"

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return FunctionalTest.objects.select_related("episode__patient")

    def code_filter(self, tokens: list[Token]) -> Q | None:
        ids = {
            t.code.removeprefix("functional-")
            for t in tokens
            if t.system in (None, codes.SYSTEM) and t.code.startswith("functional-")
        }
        return Q(test_id__in=sorted(ids)) if ids else None

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for test in rows:
            patient_id = test.episode.patient_id
            result: dict[str, Any] = test.result or {}
            name = TESTS[test.test_id].name if test.test_id in TESTS else test.test_id
            components = []
            for measure, value in (result.get("values") or {}).items():
                if value is None:
                    continue
                quantity: dict[str, Any] = {"value": number(value)}
                unit = UNITS.get(measure.rsplit("_", 1)[-1])
                if unit:
                    quantity |= {"unit": unit, "system": codes.UCUM, "code": unit}
                components.append({"code": {"text": measure}, "valueQuantity": quantity})
            if result.get("percent_predicted") is not None:
                components.append(
                    {
                        "code": {"text": "percent_predicted"},
                        "valueQuantity": {
                            "value": number(result["percent_predicted"]),
                            "unit": "%",
                            "system": codes.UCUM,
                            "code": "%",
                        },
                    }
                )
            resource: dict[str, Any] = {
                "resourceType": "Observation",
                "id": f"functional-{test.pk}",
                "extension": [
                    {"url": ENGINE_EXTENSION, "valueString": str(result.get("engine_version", ""))}
                ],
                "status": "final",
                "category": _category("exam", "Exam"),
                "code": {"coding": [codes.coding(codes.functional_code(test.test_id), name)]},
                "subject": reference("Patient", patient_id),
                "effectiveDateTime": test.day.isoformat(),
                "performer": [reference("Practitioner", test.recorded_by_id)],
                "method": {"text": str(result.get("rule") or name)},
            }
            notes = [str(n) for n in result.get("notes", [])]
            if result.get("no_reference"):
                notes.append(str(result["no_reference"]))
            if notes:
                resource["note"] = [{"text": n} for n in notes]
            if components:
                resource["component"] = components
            else:
                resource["dataAbsentReason"] = {"text": str(result.get("error") or "No value.")}
            checked(Observation, resource)
            found.append(Found(self.key(test), patient_id, resource))
        return found
