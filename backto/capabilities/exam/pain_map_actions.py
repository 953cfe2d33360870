"""The write of the body map the family marks ("where it bothered you"): one transaction and one
audit event. The event carries the child's id, the map's id and the point (timepoint and
respondent), never a region or a name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.models import Episode
from backto.access.patients.respondents import (
    FAMILY_RESPONDENTS,
    Respondent,
    allowed_respondent,
)
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.exam.actions import check_exam_day
from backto.capabilities.exam.models import PainMap
from backto.capabilities.exam.pain_map_queries import point_is_open
from backto.capabilities.measures.checkin_words import checkin_words
from backto.clinical.body_map import (
    BodyMapError,
    body_map_catalogue,
    generalized_pain,
    marked_regions,
    pain_distribution,
    painful_region_count,
    widespread_pain_index,
    wpi_areas,
)


def pain_map_result(regions: Iterable[str]) -> dict[str, Any]:
    """What the clinical core works out from the marked regions, as stored in `PainMap.result`:
    {"wpi": 0-19, "painful_region_count": int, "distribution": "localized" | "diffuse" | None
    (None when nothing is marked), "generalized_pain": bool, "wpi_areas": sorted area ids,
    "catalogue_version": str}. An unknown region id is a ValidationError on `regions`."""
    marked = list(regions)
    try:
        marked_regions(marked)
    except BodyMapError as error:
        raise ValidationError({"regions": str(error)}) from None
    return {
        "wpi": widespread_pain_index(marked),
        "painful_region_count": painful_region_count(marked),
        "distribution": pain_distribution(marked),
        "generalized_pain": generalized_pain(marked),
        "wpi_areas": sorted(wpi_areas(marked)),
        "catalogue_version": body_map_catalogue().version,
    }


@transaction.atomic
def pain_map_record(
    *,
    by: User,
    episode: Episode,
    respondent: str,
    timepoint: str,
    label: str,
    regions: Iterable[str],
    day: date,
    submission_key: UUID,
) -> PainMap:
    """Keep where it bothered the child at one questionnaire point, as marked by `by` for
    `respondent` (an empty `regions` is "nowhere right now"). A family member marks the child's
    or the parent's map by the questionnaires' rule. Someone with `exam_record` on the child's
    care team enters the family's map from paper (`respondent` "child" or "parent"; the map is
    then one entered by the care team: `recorded_by` is staff, and the audit detail says
    "on behalf"), or records their own (`respondent` "clinician"), at a point open for the
    family (`pain_map_queries.point_is_open`).

    Idempotent on `submission_key`: a form sent twice is saved once, and the second send answers
    with the map the first saved. Refused (ValidationError, nothing saved) when `by` may not
    answer for this respondent, the point is not open for it (`pain_map_queries`: outside
    the point's window, or the episode has ended), a map is already kept there,
    the day is not in the episode up to today, or a region is unknown."""
    existing = PainMap.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if existing.episode_id != episode.pk or existing.recorded_by_id != by.pk:
            raise ValidationError(_("This form was already used for another map; reload the page."))
        return existing
    staff = by.is_staff_member
    if staff:
        if not has_permission(by, Permission.EXAM_RECORD, episode.patient):
            raise PermissionDenied("Recording a body map needs exam_record on the care team.")
        if respondent not in Respondent.values:
            raise ValidationError(
                {
                    "respondent": "Marked by the child, a parent (from their paper form) or a "
                    f"clinician ({', '.join(Respondent.values)})."
                }
            )
    elif respondent not in FAMILY_RESPONDENTS:
        raise ValidationError(
            {"respondent": f"Marked by the child or a parent ({', '.join(FAMILY_RESPONDENTS)})."}
        )
    elif not allowed_respondent(by, episode.patient, respondent):
        raise ValidationError(
            {
                "respondent": _(
                    "You can mark your own map, and your child's if they have no account."
                )
            }
        )
    check_exam_day(episode, day, what="marked")
    sorted_regions = sorted(set(regions))
    result = pain_map_result(sorted_regions)
    if not point_is_open(episode.pk, respondent, timepoint, label):
        raise ValidationError(
            _(
                "This check-in is not open for a map now (its questionnaires are not due yet, were "
                "missed or cancelled, the next check-in has started, or the program has ended); "
                "nothing was saved."
            )
        )
    if PainMap.objects.filter(
        episode=episode, respondent=respondent, timepoint=timepoint, label=label
    ).exists():
        raise ValidationError(already_kept(label))
    try:
        with transaction.atomic():  # a savepoint: a form sent twice at once
            pain_map = PainMap.objects.create(
                episode=episode,
                respondent=respondent,
                timepoint=timepoint,
                label=label,
                day=day,
                regions=sorted_regions,
                result=result,
                painful_region_count=result["painful_region_count"],
                submission_key=submission_key,
                recorded_by=by,
            )
    except IntegrityError:
        same = PainMap.objects.filter(submission_key=submission_key, episode=episode).first()
        if same is not None:
            return same
        raise ValidationError(already_kept(label)) from None
    audit(
        by=by,
        action=Action.CREATE,
        obj=pain_map,
        patient_id=episode.patient_id,
        detail=f"{timepoint} {respondent}"
        + (" on behalf" if staff and respondent != Respondent.CLINICIAN else ""),
    )
    return pain_map


def already_kept(label: str) -> str:
    """Why a second map at a point is refused, naming the point as the family reads it."""
    return _("A map is already kept for %(checkin)s; nothing was changed.") % {
        "checkin": checkin_words(label)
    }
