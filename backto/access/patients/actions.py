"""Every write to children, families, episodes and care teams.

Keyword-only arguments, the acting user as `by`, one transaction each, and the audit event written
in the same transaction. Callers check scope and permission first (the loaders in access.py);
actions re-check the rules that belong to the data itself (the transition table, one open episode).
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from backto.access.accounts.models import Clinic, User
from backto.access.patients.access import has_permission
from backto.access.patients.lifecycle import TRANSITIONS, EpisodeState
from backto.access.patients.models import (
    CareTeamMember,
    Discipline,
    Episode,
    EpisodeTransition,
    Guardianship,
    PainPattern,
    Patient,
)
from backto.access.patients.signals import episode_state_changed
from backto.audit.log import audit
from backto.audit.models import Action
from backto.core.updates import apply_update

PATIENT_FIELDS = (
    "legal_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "school",
    "grade",
    "languages",
    "family_language",
)


@transaction.atomic
def patient_register(*, by: User, clinic: Clinic, **fields: Any) -> Patient:
    unknown = set(fields) - set(PATIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown patient fields: {sorted(unknown)}")
    patient = Patient(clinic=clinic, **fields)
    patient.full_clean()
    patient.save()
    audit(by=by, action=Action.CREATE, obj=patient, patient_id=patient.pk)
    return patient


@transaction.atomic
def patient_update(*, by: User, patient: Patient, **fields: Any) -> Patient:
    return apply_update(
        by=by, obj=patient, fields=fields, allowed=PATIENT_FIELDS, patient_id=patient.pk
    )


@transaction.atomic
def guardian_link(
    *,
    by: User | None,
    guardian: User,
    patient: Patient,
    relationship: str = Guardianship.Relationship.GUARDIAN,
) -> Guardianship:
    if not guardian.is_guardian or guardian.clinic_id != patient.clinic_id:
        raise ValidationError("Only a guardian account of the same clinic can be linked.")
    link, created = Guardianship.objects.get_or_create(
        guardian=guardian, patient=patient, defaults={"relationship": relationship}
    )
    if created:
        audit(by=by or guardian, action=Action.CREATE, obj=link, patient_id=patient.pk)
    return link


@transaction.atomic
def teen_link(*, by: User | None, teen: User, patient: Patient) -> Patient:
    if not teen.is_teen or teen.clinic_id != patient.clinic_id:
        raise ValidationError("Only a teen account of the same clinic can be linked.")
    if patient.age < 12:
        raise ValidationError("A child's own account is for ages 12 and older.")
    patient.teen_account = teen
    patient.save(update_fields=["teen_account"])
    audit(
        by=by or teen,
        action=Action.UPDATE,
        obj=patient,
        patient_id=patient.pk,
        detail="teen account linked",
    )
    return patient


@transaction.atomic
def episode_open(
    *,
    by: User,
    patient: Patient,
    referral_date: date,
    referral_source: str = "",
    referral_reason: str = "",
    painful_region_count: int | None = None,
    pain_pattern: str = PainPattern.UNKNOWN,
    at: Any = None,
) -> Episode:
    """Record a referral. A child with a closed episode gets a new one linked to the last
    (a relapse or a new problem); a child with an open episode cannot get a second."""
    at = at or timezone.now()
    if patient.episodes.open().exists():
        raise ValidationError("This child already has an open episode of care.")
    previous = patient.episodes.order_by("-referral_date", "-id").first()
    episode = Episode(
        patient=patient,
        referral_date=referral_date,
        referral_source=referral_source,
        referral_reason=referral_reason,
        painful_region_count=painful_region_count,
        pain_pattern=pain_pattern,
        previous_episode=previous,
        state=EpisodeState.REFERRED,
        state_changed_at=at,
    )
    episode.full_clean()
    try:
        with transaction.atomic():
            episode.save()
    except IntegrityError:
        raise ValidationError("This child already has an open episode of care.") from None
    EpisodeTransition.objects.create(episode=episode, source="", target=episode.state, by=by, at=at)
    audit(
        by=by,
        action=Action.CREATE,
        obj=episode,
        patient_id=patient.pk,
        detail="relapse" if previous else "",
    )
    return episode


@transaction.atomic
def episode_transition(
    *, by: User, episode: Episode, target: str, note: str = "", at: Any = None
) -> Episode:
    # Lock the row so two clinicians pressing at once cannot both move it.
    episode = Episode.objects.select_for_update().select_related("patient").get(pk=episode.pk)
    transition = TRANSITIONS.get((EpisodeState(episode.state), EpisodeState(target)))
    if transition is None:
        raise ValidationError(
            f"An episode that is {episode.get_state_display().lower()} cannot move to "
            f"{EpisodeState(target).label.lower()}."
        )
    if not has_permission(by, transition.permission, episode.patient):
        raise PermissionDenied("Your role does not allow this.")
    if transition.needs_note and not note.strip():
        raise ValidationError({"note": "Say why, in a few words."})
    at = at or timezone.now()
    EpisodeTransition.objects.create(
        episode=episode, source=episode.state, target=target, by=by, at=at, note=note
    )
    source = episode.state
    episode.state = target
    episode.state_changed_at = at
    episode.save(update_fields=["state", "state_changed_at"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=episode,
        patient_id=episode.patient_id,
        detail=f"state {source} → {target}",
    )
    episode_state_changed.send(
        sender=Episode, episode=episode, source=source, target=target, by=by, at=at
    )
    return episode


@transaction.atomic
def care_team_add(
    *, by: User, episode: Episode, clinician: User, discipline: str, lead: bool = False
) -> CareTeamMember:
    if not clinician.is_staff_member or clinician.clinic_id != episode.patient.clinic_id:
        raise ValidationError({"clinician": "Choose a staff member of this clinic."})
    if not clinician.is_active:
        raise ValidationError({"clinician": "This account is deactivated."})
    if discipline not in Discipline.values:
        raise ValidationError(
            {"discipline": f"Choose one of: {', '.join(map(str, Discipline.labels))}."}
        )
    if CareTeamMember.objects.filter(episode=episode, clinician=clinician).exists():
        raise ValidationError({"clinician": f"{clinician.name} is already on this care team."})
    if lead:
        CareTeamMember.objects.filter(episode=episode, is_lead=True).update(is_lead=False)
    member = CareTeamMember.objects.create(
        episode=episode, clinician=clinician, discipline=discipline, is_lead=lead
    )
    audit(
        by=by,
        action=Action.CREATE,
        obj=member,
        patient_id=episode.patient_id,
        detail=f"added {clinician.username} ({discipline}{', lead' if lead else ''})",
    )
    return member


@transaction.atomic
def care_team_set_lead(*, by: User, member: CareTeamMember) -> CareTeamMember:
    CareTeamMember.objects.filter(episode_id=member.episode_id, is_lead=True).update(is_lead=False)
    member.is_lead = True
    member.save(update_fields=["is_lead"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=member,
        patient_id=member.episode.patient_id,
        detail=f"lead is now {member.clinician.username}",
    )
    return member


@transaction.atomic
def care_team_remove(*, by: User, member: CareTeamMember) -> None:
    patient_id = member.episode.patient_id
    username = member.clinician.username
    audit(
        by=by, action=Action.DELETE, obj=member, patient_id=patient_id, detail=f"removed {username}"
    )
    member.delete()
