"""Children and their episodes of care."""

from typing import Any

from ninja import Router

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_episode_for, get_patient_for, patients_for
from backto.access.patients.models import Episode
from backto.readers.api.endpoints.records import PageQuery, audit_list
from backto.readers.api.pagination import page
from backto.readers.api.schemas import EpisodeOut, EpisodePage, PatientOut, PatientPage

router = Router(tags=["Patients and episodes"])


@router.get("/patients", response=PatientPage, url_name="api_patients")
def patient_list(request: AuthenticatedHttpRequest, params: PageQuery) -> dict[str, Any]:
    """The children in the caller's circle: their care teams' (clinicians), the clinic's
    (coordinators, clinic admins), their own (guardians, teens)."""
    rows, cursor = page(patients_for(request.user), cursor=params.cursor, limit=params.limit)
    audit_list(request, params)
    return {"items": rows, "next_cursor": cursor}


@router.get("/patients/{int:patient_id}", response=PatientOut, url_name="api_patient")
def patient_detail(request: AuthenticatedHttpRequest, patient_id: int) -> Any:
    return get_patient_for(request, patient_id, Permission.PATIENT_VIEW)


@router.get(
    "/patients/{int:patient_id}/episodes", response=EpisodePage, url_name="api_patient_episodes"
)
def episode_list(
    request: AuthenticatedHttpRequest, patient_id: int, params: PageQuery
) -> dict[str, Any]:
    patient = get_patient_for(request, patient_id, Permission.PATIENT_VIEW)
    rows, cursor = page(
        Episode.objects.filter(patient=patient), cursor=params.cursor, limit=params.limit
    )
    audit_list(request, params, patient_id=patient.pk)
    return {"items": rows, "next_cursor": cursor}


@router.get("/episodes/{int:episode_id}", response=EpisodeOut, url_name="api_episode")
def episode_detail(request: AuthenticatedHttpRequest, episode_id: int) -> Any:
    return get_episode_for(request, episode_id, Permission.PATIENT_VIEW)
