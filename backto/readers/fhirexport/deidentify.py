"""The de-identified form of a resource, for one export: what is kept and what is not is in
docs/fhir-bulk-export.md ("De-identified"), rule by rule as written here.

Every id and reference becomes a keyed pseudonym (HMAC-SHA256 with the export's own random key,
so two exports cannot be linked, and the same child has one pseudonym across the types of one
export); every date of a child moves by one offset per child, drawn from the same key
(research.pseudonyms.date_offset: 1 to 180 days, earlier or later, never 0), so intervals stay
true; the birth date keeps its year only. Names, contact details, notes and any answer or goal
in a family's own words are left out, and the types that are only people or words
(RelatedPerson, Practitioner, Communication) are not exported at all."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date, datetime, timedelta
from typing import Any

from backto.readers.fhir.measures import ENGINE_EXTENSION, RULE_EXTENSION
from backto.readers.research.pseudonyms import date_offset

# Types never in a de-identified export: people other than the child, and free text.
LEFT_OUT = frozenset({"RelatedPerson", "Practitioner", "Communication"})
# Elements dropped wherever they are: names, contact and address, identifiers, notes, the
# clinic's name (managingOrganization), photos.
DROPPED = frozenset(
    {
        "name",
        "telecom",
        "address",
        "identifier",
        "contact",
        "photo",
        "note",
        "comment",
        "managingOrganization",
        "patientInstruction",
    }
)
# Text this server writes itself (the scoring engine's version, the scoring rule): kept. Every
# other valueString is a person's words (a free-text answer, a goal's level in the family's
# words) and is dropped.
OUR_TEXT = frozenset({ENGINE_EXTENSION, RULE_EXTENSION})
GOAL_WORDS = "A goal in the family's words (withheld: de-identified export)."
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


class Deidentifier:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("A de-identified export needs its own key.")
        self.secret = secret
        self.key = secret.encode()

    def pseudonym(self, resource_type: str, ident: str) -> str:
        """64 bits of HMAC as 16 hexadecimal digits: a valid FHIR id, the same for one
        resource throughout this export, unlinkable to the record id without the key."""
        message = f"{resource_type}/{ident}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:16]

    def offset(self, patient_id: int) -> int:
        return date_offset(self.secret, patient_id)

    def resource(self, resource: dict[str, Any], patient_id: int | None) -> dict[str, Any] | None:
        """The de-identified copy of `resource` (about the child `patient_id`), or None when its
        type is never exported de-identified."""
        kind = resource["resourceType"]
        if kind in LEFT_OUT:
            return None
        days = self.offset(patient_id) if patient_id is not None else 0
        birth = resource.get("birthDate") if kind == "Patient" else None
        cleaned = self._walk(resource, days)
        cleaned["id"] = self.pseudonym(kind, str(resource["id"]))
        if birth:
            cleaned["birthDate"] = str(birth)[:4]
        if kind == "Goal":
            cleaned["description"] = {"text": GOAL_WORDS}
        return cleaned

    def _walk(self, value: Any, days: int) -> Any:
        if isinstance(value, dict):
            return self._element(value, days)
        if isinstance(value, list):
            kept = [self._walk(v, days) for v in value]
            return [v for v in kept if v is not None and v != {}]
        if isinstance(value, str):
            return _shifted(value, days)
        return value

    def _element(self, element: dict[str, Any], days: int) -> dict[str, Any] | None:
        """One element cleaned; None when nothing of it may stay (a reference to a person who
        is not exported, an answer or extension whose only value was free text)."""
        target = element.get("reference")
        if isinstance(target, str) and "/" in target:
            kind, ident = target.split("/", 1)
            if kind in LEFT_OUT:
                return None
            return {"reference": f"{kind}/{self.pseudonym(kind, ident)}"}
        out: dict[str, Any] = {}
        for name, value in element.items():
            if value is None or name in DROPPED:
                continue
            if name == "valueString" and element.get("url") not in OUR_TEXT:
                continue
            cleaned = self._walk(value, days)
            if cleaned is None or cleaned == [] or cleaned == {}:
                continue
            out[name] = cleaned
        if _valueless(element, out):
            return None
        return out


def _valueless(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """An extension, answer, component or participant that had a value and lost it."""
    had = any(k.startswith("value") or k in ("extension", "actor", "individual") for k in before)
    has = any(k.startswith("value") or k in ("extension", "actor", "individual") for k in after)
    return had and not has and not (after.keys() - {"url", "code", "status", "type"})


def _shifted(text: str, days: int) -> str:
    if not days:
        return text
    if _DATE.match(text):
        return (date.fromisoformat(text) + timedelta(days=days)).isoformat()
    if _MOMENT.match(text):
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return (moment + timedelta(days=days)).isoformat()
    return text
