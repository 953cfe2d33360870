"""The daily diary: read a child's entries as the diary calendar shows them to the caller, and
write one through the diary page's own action (same checks, same idempotency key)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Status
from pydantic import Field

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_record_for, sees_teen_private
from backto.access.patients.models import Patient
from backto.access.patients.respondents import Respondent, allowed_respondent
from backto.capabilities.diary.actions import diary_entry_submit
from backto.capabilities.diary.models import INSTRUMENT_FOR, DiaryEntry
from backto.capabilities.diary.queries import pain_shown, parent_pain_shown
from backto.readers.api.bodies import body_of, read_body
from backto.readers.api.endpoints.records import PageParams, audit_list
from backto.readers.api.pagination import page
from backto.readers.api.schemas import DiaryEntryIn, DiaryPage, DiarySaved

router = Router(tags=["Diary"])


class DiaryFilters(PageParams):
    since: date | None = Field(None, description="The first day to include.")
    until: date | None = Field(None, description="The last day to include.")


def _patient(request: AuthenticatedHttpRequest, patient_id: int, permission: Permission) -> Patient:
    return get_record_for(
        request,
        Patient,
        patient_id,
        permission,
        patient_path="",
        related=("diary_settings",),
    )


def entry_out(entry: DiaryEntry, *, sees_private: bool, pain: bool) -> dict[str, Any]:
    answers = entry.answers_for(sees_private=sees_private)
    if not pain:
        answers.pop("pain", None)
    private = list(entry.private_fields) if entry.respondent == Respondent.CHILD else []
    return {
        **{f: getattr(entry, f) for f in ("id", "patient_id", "day", "respondent")},
        **{f: getattr(entry, f) for f in ("instrument_id", "instrument_version")},
        "answers": answers,
        "private_fields": private if sees_private else [],
        "some_answers_kept_private": bool(private) and not sees_private,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


class Viewer:
    """What one caller may see of one child's diary, decided once per request."""

    def __init__(self, request: AuthenticatedHttpRequest, patient: Patient) -> None:
        user = request.user
        self.sees_private = sees_teen_private(user, patient)
        self.child_pain = pain_shown(user, patient, getattr(patient, "diary_settings", None))
        self.parent_pain = parent_pain_shown(user, patient)

    def out(self, entry: DiaryEntry) -> dict[str, Any]:
        pain = self.child_pain if entry.respondent == Respondent.CHILD else self.parent_pain
        return entry_out(entry, sees_private=self.sees_private, pain=pain)


@router.get("/patients/{int:patient_id}/diary", response=DiaryPage, url_name="api_diary")
def diary_list(
    request: AuthenticatedHttpRequest, patient_id: int, filters: Query[DiaryFilters]
) -> dict[str, Any]:
    patient = _patient(request, patient_id, Permission.PATIENT_VIEW)
    entries = DiaryEntry.objects.filter(patient=patient)
    if filters.since:
        entries = entries.filter(day__gte=filters.since)
    if filters.until:
        entries = entries.filter(day__lte=filters.until)
    rows, cursor = page(entries, cursor=filters.cursor, limit=filters.limit)
    audit_list(request, filters, patient_id=patient.pk, since=filters.since, until=filters.until)
    viewer = Viewer(request, patient)
    return {"items": [viewer.out(e) for e in rows], "next_cursor": cursor}


@router.post(
    "/patients/{int:patient_id}/diary",
    response={200: DiarySaved, 201: DiarySaved},
    url_name="api_diary_submit",
    openapi_extra=body_of(DiaryEntryIn),
)
def diary_submit(request: AuthenticatedHttpRequest, patient_id: int) -> Status:
    """A day's diary, as the diary page saves it: today or yesterday, by its own respondent
    (the child, a parent). 201 when stored; 200 when it edited this person's entry of that day,
    or when this very submission (the same idempotency_key) was stored before."""
    patient = _patient(request, patient_id, Permission.DIARY_WRITE)
    entry = read_body(request, DiaryEntryIn)
    if entry.respondent not in INSTRUMENT_FOR or not allowed_respondent(
        request.user, patient, entry.respondent
    ):
        raise PermissionDenied("This diary is written by someone else.")
    saved = diary_entry_submit(
        by=request.user,
        patient=patient,
        day=entry.day,
        respondent=entry.respondent,
        answers=entry.answers,
        private_fields=entry.private_fields,
        idempotency_key=entry.idempotency_key,
    )
    outcome = "created" if saved.created else "already" if saved.replayed else "edited"
    body = {"entry": Viewer(request, patient).out(saved.entry), "outcome": outcome}
    return Status(201 if saved.created else 200, body)
