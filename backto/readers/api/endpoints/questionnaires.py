"""Questionnaires (administrations) with their scores, traced to the instrument, its version and
the scoring rule; answering one goes through the questionnaire page's own action."""

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Router

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    get_episode_for,
    has_permission,
)
from backto.capabilities.measures.actions import administration_answer
from backto.capabilities.measures.loaders import READ, administration_for
from backto.capabilities.measures.models import Administration, AdminState
from backto.capabilities.measures.queries import CLOSED_CODES, family_respondents, may_answer
from backto.readers.api.bodies import body_of, read_body
from backto.readers.api.endpoints.records import PageQuery, audit_list
from backto.readers.api.pagination import page
from backto.readers.api.schemas import AdministrationOut, AdministrationPage, AnswersIn, Problem

router = Router(tags=["Questionnaires"])


class Conflict(Exception):
    """The questionnaire cannot take answers now (completed, closed, not yet open)."""


def administration_out(adm: Administration, *, answers: bool) -> dict[str, Any]:
    done = adm.state == AdminState.COMPLETED
    result = adm.result or {}
    return {
        **{f: getattr(adm, f) for f in ("id", "episode_id", "instrument_id", "respondent")},
        **{f: getattr(adm, f) for f in ("timepoint", "label", "due_on", "state", "language")},
        "instrument_version": adm.instrument_version,
        "on_behalf": adm.on_behalf,
        "completed_at": adm.completed_at,
        "score": {
            "total": adm.score_total,
            "band": adm.score_band,
            "engine_version": adm.engine_version,
            "rule": result.get("rule", ""),
            "detail": {k: v for k, v in result.items() if k not in ("total", "band", "rule")},
        }
        if done
        else None,
        "answers": dict(adm.answers) if answers else None,
    }


def _sees_answers(user: Any, adm: Administration) -> bool:
    patient = adm.episode.patient
    if has_permission(user, Permission.MEASURE_ANSWERS_VIEW, patient):
        return True
    return has_permission(user, Permission.MEASURE_ANSWER, patient) and may_answer(user, adm)


@router.get(
    "/episodes/{int:episode_id}/questionnaires",
    response=AdministrationPage,
    url_name="api_questionnaires",
)
def questionnaire_list(
    request: AuthenticatedHttpRequest, episode_id: int, params: PageQuery
) -> dict[str, Any]:
    """The care team sees every questionnaire of the episode; a family member those they
    answer (a parent's forms for a parent, the child's for the teen)."""
    episode = get_episode_for(request, episode_id, READ)
    user = request.user
    rows_query = Administration.objects.filter(episode=episode).select_related("episode__patient")
    if not has_permission(user, Permission.MEASURE_VIEW, episode.patient):
        rows_query = rows_query.filter(family_respondents(teen=user.is_teen))
    rows, cursor = page(rows_query, cursor=params.cursor, limit=params.limit)
    audit_list(request, params, patient_id=episode.patient_id, episode=episode.pk)
    return {
        "items": [administration_out(a, answers=_sees_answers(user, a)) for a in rows],
        "next_cursor": cursor,
    }


@router.get(
    "/questionnaires/{int:administration_id}",
    response=AdministrationOut,
    url_name="api_questionnaire",
)
def questionnaire_detail(
    request: AuthenticatedHttpRequest, administration_id: int
) -> dict[str, Any]:
    adm = administration_for(request, administration_id)
    return administration_out(adm, answers=_sees_answers(request.user, adm))


@router.post(
    "/questionnaires/{int:administration_id}/answers",
    response={200: AdministrationOut, 409: Problem},
    url_name="api_questionnaire_answer",
    openapi_extra=body_of(AnswersIn),
)
def questionnaire_answer(
    request: AuthenticatedHttpRequest, administration_id: int
) -> dict[str, Any]:
    """Save answers, and with `finish` score and complete, as the questionnaire page does. The
    same completed submission sent again (a retry) answers with the stored result and changes
    nothing; different answers to a completed questionnaire are refused (409)."""
    adm = administration_for(request, administration_id)
    body = read_body(request, AnswersIn)
    user = request.user
    if (
        body.finish
        and adm.state == AdminState.COMPLETED
        and adm.completed_by_id == user.pk
        and all(adm.answers.get(k) == v for k, v in body.answers.items())
    ):
        return administration_out(adm, answers=True)
    try:
        saved = administration_answer(
            by=user,
            administration=adm,
            answers=body.answers,
            finish=body.finish,
            language=body.language,
        )
    except ValidationError as error:
        if getattr(error, "code", None) in CLOSED_CODES:
            raise Conflict(error.messages[0]) from error
        raise
    return administration_out(saved.administration, answers=True)
