"""Setting up a real clinic: `backto clinic create`. A clinic starts with its defaults — the
starter exercise library, the default questionnaire schedule (measures) and the project's
learning pages (both read until the clinic changes them) — and an invitation for its first
admin, who invites everyone else from the app."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from backto.access.accounts.actions import email_in_use, invitation_issue_token
from backto.access.accounts.models import (
    Clinic,
    Invitation,
    PaperSize,
    UserKind,
    validate_time_zone,
)
from backto.audit.log import audit_event
from backto.audit.models import Action
from backto.capabilities.homeprogram.actions import starter_library_load

COMMAND = "backto clinic create"  # who acted, in the audit log


@dataclass
class ClinicSetup:
    clinic: Clinic
    created: bool
    exercises: int  # starter exercises added now
    invitation: Invitation | None  # the first admin's, when one is pending
    admin_has_account: bool  # the admin already signed up: nothing to send


def _audit(clinic: Clinic, action: Action, obj: object, detail: str) -> None:
    event = audit_event(by=None, action=action, obj=obj, detail=detail, username=COMMAND)
    event.clinic_id = clinic.pk
    event.save()


def _check(name: str, slug: str, admin_email: str, time_zone: str, paper_size: str) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Give the clinic's name, as families know it."
    try:
        validate_slug(slug)
    except ValidationError:
        errors["slug"] = "Use letters, numbers, hyphens and underscores only."
    try:
        validate_email(admin_email)
    except ValidationError:
        errors["admin_email"] = "Give the first admin's email address, e.g. name@clinic.org."
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        errors["time_zone"] = error.messages[0]
    if paper_size not in PaperSize.values:
        errors["paper_size"] = f"Use one of: {', '.join(PaperSize.values)}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def clinic_create(
    *,
    name: str,
    admin_email: str,
    time_zone: str = "",
    slug: str = "",
    paper_size: str = "",
    admin_name: str = "",
) -> ClinicSetup:
    """Create the clinic with its defaults and invite its first admin; idempotent on the slug.
    Run again, it changes nothing but makes sure the admin has a pending invitation (unless the
    admin already has an account)."""
    name, admin_email = name.strip(), admin_email.strip()
    slug = slug or slugify(name)
    time_zone = time_zone or settings.TIME_ZONE
    paper_size = paper_size or PaperSize.for_time_zone(time_zone)
    _check(name, slug, admin_email, time_zone, paper_size)
    clinic = Clinic.objects.select_for_update().filter(slug=slug).first()
    created = clinic is None
    if clinic is None:
        clinic = Clinic(name=name, slug=slug, time_zone=time_zone, paper_size=paper_size)
        clinic.full_clean()
        clinic.save()
        _audit(clinic, Action.CREATE, clinic, "clinic created")
    exercises = starter_library_load(clinic=clinic)
    if exercises:
        _audit(clinic, Action.CREATE, None, f"{exercises} starter exercises")
    if email_in_use(admin_email):
        return ClinicSetup(clinic, created, exercises, None, admin_has_account=True)
    invitation = (
        Invitation.objects.pending()
        .filter(clinic=clinic, email__iexact=admin_email, kind=UserKind.STAFF)
        .first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(
            clinic=clinic,
            email=admin_email,
            kind=UserKind.STAFF,
            display_name=admin_name,
            roles=["clinic_admin"],
            token_hash=secrets.token_hex(32),  # a hash nobody can match until a link is made
            created_by=None,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        _audit(clinic, Action.CREATE, invitation, "invited the first clinic admin")
    return ClinicSetup(clinic, created, exercises, invitation, admin_has_account=False)


def invitation_link(invitation: Invitation) -> str:
    """A fresh one-time link for the invitation (any earlier link stops working)."""
    token = invitation_issue_token(invitation=invitation)
    _audit(invitation.clinic, Action.UPDATE, invitation, "set-password link printed")
    return settings.SITE_URL + reverse("invitation_accept", args=[token])
