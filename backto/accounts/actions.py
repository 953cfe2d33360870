"""Every write to accounts: invitations, roles, deactivation. Same rules as every actions.py:
keyword-only arguments, the acting user as `by`, atomic, audited in the same transaction."""

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    from backto.patients.models import Patient

from backto.accounts.models import Clinic, Invitation, StaffRole, User, UserKind, hash_token
from backto.accounts.roles import STAFF_ROLES
from backto.audit.log import audit
from backto.audit.models import Action
from backto.core.updates import apply_update


def _check_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in STAFF_ROLES]
    if unknown:
        allowed = ", ".join(STAFF_ROLES)
        raise ValidationError({"roles": f"Unknown role {unknown[0]!r}; allowed: {allowed}."})
    return roles


def email_in_use(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


@transaction.atomic
def invitation_create(
    *,
    by: User,
    email: str,
    kind: str,
    display_name: str = "",
    roles: Iterable[str] = (),
    patient: "Patient | None" = None,
    relationship: str = "",
) -> Invitation:
    """Invite a person by email. The one-time link is made and sent by a background task, so
    the token itself is never stored: only its hash, written when the email goes out."""
    email = email.strip()
    roles = _check_roles(roles) if kind == UserKind.STAFF else []
    if kind == UserKind.STAFF and not roles:
        raise ValidationError({"roles": "Choose at least one role."})
    if kind in (UserKind.GUARDIAN, UserKind.TEEN) and patient is None:
        raise ValidationError({"patient": "Choose the child this account is for."})
    if kind == UserKind.TEEN and patient is not None and patient.age < 12:
        raise ValidationError({"patient": "A child's own account is for ages 12 and older."})
    if email_in_use(email):
        raise ValidationError({"email": "An account with this email already exists."})
    invitation = Invitation.objects.create(
        clinic_id=by.clinic_id,
        email=email,
        kind=kind,
        display_name=display_name,
        roles=roles,
        patient=patient,
        relationship=relationship,
        token_hash=secrets.token_hex(32),  # placeholder hash nobody can match; replaced on send
        created_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    audit(
        by=by,
        action=Action.CREATE,
        obj=invitation,
        patient_id=getattr(patient, "pk", None),
        detail=f"invited {kind}",
    )
    from backto.accounts.tasks import send_invitation

    send_invitation.enqueue(invitation.pk)
    return invitation


def invitation_issue_token(*, invitation: Invitation) -> str:
    """Make a fresh one-time token for a pending invitation (used by the email task)."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.save(update_fields=["token_hash"])
    return token


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.pending()
        .select_related("clinic", "patient")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, username: str, password: str, display_name: str = ""
) -> User:
    from backto.patients.actions import guardian_link, teen_link

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != "pending":
        raise ValidationError("This invitation link has already been used or has expired.")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken; choose another."})
    user = User(
        clinic_id=invitation.clinic_id,
        username=username,
        email=invitation.email,
        kind=invitation.kind,
        display_name=display_name or invitation.display_name,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    StaffRole.objects.bulk_create(StaffRole(user=user, role=r) for r in invitation.roles)
    if invitation.kind == UserKind.GUARDIAN and invitation.patient:
        guardian_link(
            by=user,
            guardian=user,
            patient=invitation.patient,
            relationship=invitation.relationship or "guardian",
        )
    if invitation.kind == UserKind.TEEN and invitation.patient:
        teen_link(by=user, teen=user, patient=invitation.patient)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit(
        by=user,
        action=Action.CREATE,
        obj=user,
        object_type="user",
        patient_id=invitation.patient_id,
        detail="accepted invitation",
    )
    return user


@transaction.atomic
def invitation_revoke(*, by: User, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=invitation,
        patient_id=invitation.patient_id,
        detail="revoked",
    )


@transaction.atomic
def staff_set_roles(*, by: User, user: User, roles: Iterable[str]) -> None:
    roles = _check_roles(roles)
    if not roles:
        raise ValidationError({"roles": "A staff member needs at least one role."})
    if user == by and "clinic_admin" not in roles:
        raise ValidationError({"roles": "You cannot remove your own admin role."})
    StaffRole.objects.filter(user=user).exclude(role__in=roles).delete()
    existing = set(StaffRole.objects.filter(user=user).values_list("role", flat=True))
    StaffRole.objects.bulk_create(StaffRole(user=user, role=r) for r in roles if r not in existing)
    user.__dict__.pop("role_keys", None)
    audit(
        by=by,
        action=Action.UPDATE,
        obj=user,
        object_type="user",
        detail="roles: " + ", ".join(roles),
    )


@transaction.atomic
def user_set_active(*, by: User, user: User, active: bool) -> None:
    """Deactivate (or reactivate) an account. Nothing is deleted: history keeps its author."""
    if user == by and not active:
        raise ValidationError("You cannot deactivate your own account.")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=user,
        object_type="user",
        detail="reactivated" if active else "deactivated",
    )


CLINIC_FIELDS = (
    "name",
    "phone",
    "hours",
    "crisis_line",
    "address",
    "when_to_call",
    "help_message",
    "time_zone",
    "paper_size",
    "logo",
    "family_rates_goals",
)


@transaction.atomic
def clinic_update(*, by: User, clinic: Clinic, **fields: Any) -> Clinic:
    return apply_update(by=by, obj=clinic, fields=fields, allowed=CLINIC_FIELDS)


@transaction.atomic
def clinic_test_email_request(*, by: User) -> None:
    """Send the acting admin an email whose link proves that mail reaches people."""
    from backto.accounts.tasks import send_test_email

    audit(by=by, action=Action.CREATE, object_type="test_email", detail="requested")
    send_test_email.enqueue(by.pk)  # the tasks backend enqueues it when this transaction commits


@transaction.atomic
def clinic_email_confirm(*, by: User) -> None:
    """The admin opened the test email's link: email delivery works."""
    clinic = by.clinic
    clinic.email_confirmed_at = timezone.now()
    clinic.save(update_fields=["email_confirmed_at"])
    audit(by=by, action=Action.UPDATE, obj=clinic, detail="email delivery confirmed")


@transaction.atomic
def clinic_backups_confirm(*, by: User) -> None:
    """The admin confirms that the database and uploaded files are backed up and restorable."""
    clinic = by.clinic
    clinic.backups_confirmed_at = timezone.now()
    clinic.save(update_fields=["backups_confirmed_at"])
    audit(by=by, action=Action.UPDATE, obj=clinic, detail="backups confirmed")
