"""Every write to wins and their reactions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.goals.models import Goal
from backto.capabilities.wins.models import ReactionKind, Win, WinReaction


@transaction.atomic
def win_add(
    *, by: User, patient: Patient, text: str, happened_on: date, goal: Goal | None = None
) -> Win:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the win in a few words."})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": "A win happens today or before."})
    episode = patient.episodes.order_by("-referral_date", "-id").first()
    if goal is not None and goal.episode.patient_id != patient.pk:
        raise ValidationError({"goal": "Choose one of this child's goals."})
    win = Win.objects.create(
        patient=patient,
        episode=episode,
        goal=goal,
        text=text[:200],
        happened_on=happened_on,
        added_by=by,
    )
    audit(by=by, action=Action.CREATE, obj=win, patient_id=patient.pk)
    return win


@transaction.atomic
def win_react(*, by: User, win: Win, kind: str, note: str = "") -> WinReaction:
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": "Choose a cheer or a note."})
    note = note.strip()
    if kind == ReactionKind.NOTE and not note:
        raise ValidationError({"note": "Write a short note."})
    if kind == ReactionKind.CHEER:  # one cheer per person: a second one changes nothing
        reaction, created = WinReaction.objects.get_or_create(win=win, by=by, kind=kind)
    else:
        reaction, created = (
            WinReaction.objects.create(win=win, by=by, kind=kind, note=note[:200]),
            True,
        )
    if created:
        audit(by=by, action=Action.CREATE, obj=reaction, patient_id=win.patient_id, detail=kind)
    return reaction
