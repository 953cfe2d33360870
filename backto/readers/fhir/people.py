"""The people: the child (Patient), their guardians (RelatedPerson) and the clinic's staff
(Practitioner)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.relatedperson import RelatedPerson

from backto.access.accounts.models import User, UserKind
from backto.access.accounts.roles import Permission
from backto.access.patients.models import Guardianship, Patient
from backto.readers.fhir.checked import checked
from backto.readers.fhir.sources import Found, Source, Viewer, reference

GENDERS = {"female": "female", "male": "male", "intersex": "other", "unknown": "unknown"}
ROLE_CODES = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
RELATIONSHIPS = {
    Guardianship.Relationship.MOTHER: ("MTH", "mother"),
    Guardianship.Relationship.FATHER: ("FTH", "father"),
    Guardianship.Relationship.GUARDIAN: ("GUARD", "guardian"),
    Guardianship.Relationship.GRANDPARENT: ("GRPRN", "grandparent"),
}


def human_name(text: str, use: str = "official") -> dict[str, Any]:
    words = text.split()
    name: dict[str, Any] = {"use": use, "text": text}
    if len(words) > 1:
        name["family"] = words[-1]
        name["given"] = words[:-1]
    elif words:
        name["given"] = words
    return name


def patient_resource(patient: Patient) -> dict[str, Any]:
    names = [human_name(patient.legal_name)]
    if patient.preferred_name:
        names.append({"use": "usual", "given": [patient.preferred_name]})
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "active": True,
        "name": names,
        "gender": GENDERS.get(patient.sex, "unknown"),
        "birthDate": patient.date_of_birth.isoformat(),
        "communication": [
            {
                "language": {
                    "coding": [{"system": "urn:ietf:bcp:47", "code": patient.family_language}]
                },
                "preferred": True,
            }
        ],
        "managingOrganization": {"display": patient.clinic.name},
    }
    checked(FhirPatient, resource)
    return resource


class PatientSource(Source):
    resource_type = "Patient"
    model = Patient
    patient_path = ""
    read = (Permission.PATIENT_VIEW,)

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return Patient.objects.select_related("clinic")

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        return [Found(self.key(p), p.pk, patient_resource(p)) for p in rows]


class RelatedPersonSource(Source):
    """A child's guardians, for the staff who keep the child's details or the families."""

    resource_type = "RelatedPerson"
    model = Guardianship
    patient_path = "patient"
    read = (Permission.PATIENT_EDIT, Permission.FAMILY_MANAGE)

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return Guardianship.objects.select_related("guardian", "patient")

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for link in rows:
            guardian = link.guardian
            relationship: dict[str, Any] = {"text": link.get_relationship_display()}
            if link.relationship in RELATIONSHIPS:
                code, display = RELATIONSHIPS[link.relationship]
                relationship["coding"] = [{"system": ROLE_CODES, "code": code, "display": display}]
            resource: dict[str, Any] = {
                "resourceType": "RelatedPerson",
                "id": str(link.pk),
                "active": guardian.is_active,
                "patient": reference("Patient", link.patient_id),
                "relationship": [relationship],
                "name": [human_name(guardian.name, "usual")],
            }
            if guardian.email:
                resource["telecom"] = [{"system": "email", "value": guardian.email}]
            checked(RelatedPerson, resource)
            found.append(Found(self.key(link), link.patient_id, resource))
        return found


class PractitionerSource(Source):
    """The clinic's staff, for its staff."""

    resource_type = "Practitioner"
    model = User
    read = (Permission.CASELOAD_VIEW,)

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return User.objects.filter(kind=UserKind.STAFF).prefetch_related("staff_roles")

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for user in rows:
            resource: dict[str, Any] = {
                "resourceType": "Practitioner",
                "id": str(user.pk),
                "active": user.is_active,
                "name": [human_name(user.name, "usual")],
            }
            if user.credentials:
                resource["name"][0]["suffix"] = [user.credentials]
            if user.roles:
                resource["qualification"] = [{"code": {"text": role.label}} for role in user.roles]
            checked(Practitioner, resource)
            found.append(Found(self.key(user), None, resource))
        return found
