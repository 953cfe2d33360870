"""The resource types the endpoint serves, the sources each is made of and the search
parameters each takes: the views and the CapabilityStatement both read this table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from backto.readers.fhir.care import (
    AppointmentSource,
    CarePlanSource,
    EncounterSource,
    GoalRatingSource,
    GoalSource,
)
from backto.readers.fhir.communications import CommunicationSource
from backto.readers.fhir.measures import ResponseSource, ScoreSource
from backto.readers.fhir.observations import BodyMapSource, DiarySource, FunctionalTestSource
from backto.readers.fhir.people import PatientSource, PractitionerSource, RelatedPersonSource
from backto.readers.fhir.sources import Source

PATIENT = ("patient", "reference", "The child: 123 or Patient/123.")
CODE = ("code", "token", "system|code or code; several separated by commas.")
DATE = (
    "date",
    "date",
    "A day, month or year with a prefix eq, ge, le, gt or lt (repeatable); the resource's day "
    "in the clinic's time zone.",
)
COUNT = ("_count", "number", "Results per page, 1 to 100 (20 by default).")
SORT = ("_sort", "string", "date (oldest first, the default) or -date (newest first).")


@dataclass(frozen=True)
class ResourceType:
    name: str
    sources: tuple[Source, ...]
    params: tuple[tuple[str, str, str], ...]  # (name, FHIR type, what it means)
    summary: str

    @property
    def param_names(self) -> frozenset[str]:
        return frozenset(name for name, _, _ in self.params)

    def source_for(self, ident: str) -> tuple[Source, int, int] | None:
        """The source, row id and number within the row of a resource id, or None."""
        match = _IDENT.match(ident)
        if match is None:
            return None
        prefix = match.group("prefix") or ""
        for source in self.sources:
            if source.prefix == prefix:
                sub = int(match.group("sub") or 0)
                if (match.group("sub") is not None) != source.numbered:
                    return None
                return source, int(match.group("pk")), sub
        return None


_IDENT = re.compile(r"^(?:(?P<prefix>[a-z]+)-)?(?P<pk>[1-9]\d{0,17})(?:-(?P<sub>\d{1,4}))?$")

TYPES: dict[str, ResourceType] = {
    t.name: t
    for t in (
        ResourceType(
            "Patient",
            (PatientSource(),),
            (COUNT,),
            "The children in the person's circle.",
        ),
        ResourceType(
            "RelatedPerson",
            (RelatedPersonSource(),),
            (PATIENT, COUNT),
            "A child's parents and guardians.",
        ),
        ResourceType(
            "Practitioner",
            (PractitionerSource(),),
            (COUNT,),
            "The clinic's staff.",
        ),
        ResourceType(
            "QuestionnaireResponse",
            (ResponseSource(),),
            (
                PATIENT,
                ("code", "token", "The instrument id (the Questionnaire's id)."),
                DATE,
                COUNT,
                SORT,
            ),
            "Completed questionnaires, item by item.",
        ),
        ResourceType(
            "Observation",
            (
                ScoreSource(),
                DiarySource(),
                BodyMapSource(),
                GoalRatingSource(),
                FunctionalTestSource(),
            ),
            (PATIENT, CODE, DATE, COUNT, SORT),
            "Questionnaire scores (score-<id>), diaries (diary-<id>), body-map findings "
            "(bodymap-<map>-<n>), goal attainment ratings (gas-<id>), functional tests "
            "(functional-<id>).",
        ),
        ResourceType(
            "Goal",
            (GoalSource(),),
            (PATIENT, COUNT),
            "Goals in the family's words, with their five GAS levels.",
        ),
        ResourceType(
            "CarePlan",
            (CarePlanSource(),),
            (PATIENT, COUNT),
            "The care plan's versions: the dose of each therapy.",
        ),
        ResourceType(
            "Encounter",
            (EncounterSource(),),
            (PATIENT, DATE, COUNT, SORT),
            "Therapy sessions (without their notes).",
        ),
        ResourceType(
            "Communication",
            (CommunicationSource(),),
            (PATIENT, DATE, COUNT, SORT),
            "A child's messages with the care team (the teen's own conversation only for the "
            "care team).",
        ),
        ResourceType(
            "Appointment",
            (AppointmentSource(),),
            (PATIENT, DATE, COUNT, SORT),
            "Appointments of the program's week.",
        ),
    )
}
