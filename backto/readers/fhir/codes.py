"""The codes our Observations carry: LOINC where a LOINC code means exactly what we measure,
else BackTo's own codes, published as the CodeSystem `backto` (/fhir/CodeSystem/backto) and
built from the instrument files and the exam's catalogue, so that it cannot fall behind them.

The system is a URN, the same in every clinic's server: two clinics' codes mean the same.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fhir.resources.R4B.codesystem import CodeSystem

from backto.clinical.functional_tests import TESTS
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument
from backto.readers.fhir.checked import checked

SYSTEM = "urn:backto:codes"
CODE_SYSTEM_ID = "backto"
CODE_SYSTEM_VERSION = "1"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# LOINC codes for an instrument's total, only where the LOINC term is the same measure.
LOINC_TOTALS: dict[str, tuple[str, str]] = {
    "nrs-pain": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
    "gad-7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
}

BODY_MAP_PAIN = "body-map-pain"
GAS_LEVEL = "gas-level"
GAS_T_SCORE = "gas-t-score"
SESSION_CODES = {"pt": "physical-therapy", "ot": "occupational-therapy", "counseling": "counseling"}


def coding(code: str, display: str | None = None) -> dict[str, str]:
    found = {"system": SYSTEM, "code": code}
    if display:
        found["display"] = display
    return found


def functional_code(test_id: str) -> str:
    return f"functional-{test_id}"


def subscale_code(instrument_id: str, subscale: str) -> str:
    return f"{instrument_id}.{subscale}"


def total_codings(instrument_id: str, title: str) -> list[dict[str, str]]:
    """An instrument's total: its LOINC code first where there is one, then ours."""
    codings = []
    if instrument_id in LOINC_TOTALS:
        loinc, display = LOINC_TOTALS[instrument_id]
        codings.append({"system": LOINC, "code": loinc, "display": display})
    codings.append(coding(instrument_id, f"{title}: total score"))
    return codings


def instruments_by_code(system: str | None, code: str) -> set[str]:
    """The instrument ids whose total carries this code (for `code=` searches)."""
    found = set()
    for instrument_id in instrument_registry().ids:
        if system in (None, SYSTEM) and code == instrument_id:
            found.add(instrument_id)
        loinc = LOINC_TOTALS.get(instrument_id)
        if loinc is not None and system in (None, LOINC) and code == loinc[0]:
            found.add(instrument_id)
    return found


def _instrument_concepts(instrument: Instrument) -> list[dict[str, Any]]:
    if instrument.scoring is None:  # the diaries: a panel of their items
        return [
            {
                "code": instrument.id,
                "display": f"{instrument.title}",
                "definition": f"One day's {instrument.title.lower()}, its answers as components.",
                "concept": [
                    {
                        "code": f"{instrument.id}.{item.linkId}",
                        "display": item.label or item.linkId,
                        "definition": f"The answer to the item '{item.linkId}' of "
                        f"{instrument.id}, as the instrument file words its answers.",
                    }
                    for item in instrument.items
                ],
            }
        ]
    scoring = instrument.scoring
    concept: dict[str, Any] = {
        "code": instrument.id,
        "display": f"{instrument.title}: total score",
        "definition": f"{instrument.description} Scored by the rule in BackTo's instrument file "
        f"(method '{scoring.method}'); the Observation names the version and the rule.",
    }
    if scoring.subscales:
        concept["concept"] = [
            {
                "code": subscale_code(instrument.id, sub.name),
                "display": f"{instrument.title}: {sub.name.replace('_', ' ')}",
                "definition": f"The subscale '{sub.name}' of {instrument.id}"
                + (f": items {', '.join(sub.items)}." if sub.items else "."),
            }
            for sub in scoring.subscales
        ]
    return [concept]


@cache
def code_system_resource() -> dict[str, Any]:
    """The CodeSystem `backto`, checked with the R4B model."""
    concepts: list[dict[str, Any]] = []
    for instrument in instrument_registry():
        concepts.extend(_instrument_concepts(instrument))
    concepts.append(
        {
            "code": BODY_MAP_PAIN,
            "display": "Pain marked at a body site on the body map",
            "definition": "A body-map region marked as painful; the region is the Observation's "
            "bodySite (SNOMED CT where the catalogue has a code, and BackTo's region id).",
        }
    )
    concepts.extend(
        {
            "code": functional_code(test.id),
            "display": test.name,
            "definition": f"The {test.name}, scored by BackTo's functional-test engine; "
            "each measure is a component, and the Observation names the rule and engine version.",
        }
        for test in TESTS.values()
    )
    concepts.extend(
        [
            {
                "code": GAS_LEVEL,
                "display": "Goal attainment level (-2 to +2)",
                "definition": "A goal's attainment rated on its five levels: -2 much less than "
                "expected, -1 somewhat less, 0 the expected outcome, +1 somewhat more, +2 much more.",
            },
            {
                "code": "session",
                "display": "Therapy session",
                "definition": "A therapy session of the program, by discipline.",
                "concept": [
                    {"code": code, "display": code.replace("-", " ").capitalize()}
                    for code in SESSION_CODES.values()
                ],
            },
        ]
    )
    resource = {
        "resourceType": "CodeSystem",
        "id": CODE_SYSTEM_ID,
        "url": SYSTEM,
        "version": CODE_SYSTEM_VERSION,
        "name": "BackTo",
        "title": "BackTo project codes",
        "status": "active",
        "experimental": False,
        "publisher": "BackTo project",
        "description": "Codes for what BackTo measures where LOINC or SNOMED CT has no code "
        "that means the same: questionnaire totals and subscales by instrument id, the diaries' "
        "items, body-map findings, functional tests and goal attainment levels.",
        "caseSensitive": True,
        "hierarchyMeaning": "part-of",
        "content": "complete",
        "concept": concepts,
    }
    resource["count"] = _count(concepts)
    checked(CodeSystem, resource)
    return resource


def _count(concepts: list[dict[str, Any]]) -> int:
    return sum(1 + _count(c.get("concept", [])) for c in concepts)


def known_codes() -> frozenset[str]:
    def walk(concepts: list[dict[str, Any]]) -> list[str]:
        return [code for c in concepts for code in [c["code"], *walk(c.get("concept", []))]]

    return frozenset(walk(code_system_resource()["concept"]))
