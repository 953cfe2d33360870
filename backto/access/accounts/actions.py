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
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from backto.access.patients.models import Guardianship, Patient

from backto.access.accounts.models import Clinic, Invitation, StaffRole, User, UserKind, hash_token
from backto.access.accounts.roles import STAFF_ROLES
from backto.audit.log import audit, audit_event
from backto.audit.middleware import current_ip
from backto.audit.models import Action, AuditEvent
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
    if Invitation.objects.pending().filter(email__iexact=email).exists():
        # Two accepted invitations cannot both become accounts with one address. A parent of
        # two children has one account, linked to the second child on the families page.
        raise ValidationError(
            {
                "email": "An invitation to this email is already waiting to be accepted. Once "
                "it is, link that account to another child on the families page."
            }
        )
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
    from backto.access.accounts.tasks import send_invitation

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
    from backto.access.patients.actions import guardian_link, teen_link

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != "pending":
        raise ValidationError(_("This invitation link has already been used or has expired."))
    if email_in_use(invitation.email):
        raise ValidationError(
            _(
                "An account with this email already exists. Sign in with it, or choose "
                "“Forgot your password?” on the sign-in page."
            )
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("That username is taken; choose another.")})
    user = User(
        clinic_id=invitation.clinic_id,
        username=username,
        email=invitation.email,
        kind=invitation.kind,
        display_name=display_name or invitation.display_name,
        language=invitation.language,
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
def invitation_resend(*, by: User, invitation: Invitation) -> Invitation:
    """Send an invitation nobody accepted (pending or expired) again, with a fresh expiry. The
    link sent before stops working at once; the new one is made when the email goes out."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status not in ("pending", "expired"):
        raise ValidationError(
            f"The invitation for {invitation.email} was {invitation.status}; "
            "it cannot be sent again."
        )
    if email_in_use(invitation.email):
        raise ValidationError(f"An account with {invitation.email} already exists.")
    if (
        Invitation.objects.pending()
        .filter(email__iexact=invitation.email)
        .exclude(pk=invitation.pk)
        .exists()
    ):
        raise ValidationError(f"A newer invitation to {invitation.email} is still waiting.")
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    invitation.token_hash = secrets.token_hex(32)  # placeholder nobody can match, as on create
    invitation.save(update_fields=["expires_at", "token_hash"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=invitation,
        patient_id=invitation.patient_id,
        detail="resent",
    )
    from backto.access.accounts.tasks import send_invitation

    send_invitation.enqueue(invitation.pk)
    return invitation


@transaction.atomic
def guardian_add_child(
    *, by: User, guardian: User, patient: "Patient", relationship: str
) -> "Guardianship":
    """Link an existing parent or guardian account to another child of the clinic: a sibling,
    or a child they share with a second household. An existing link is refused, not kept."""
    from backto.access.patients.actions import guardian_link
    from backto.access.patients.models import Guardianship

    if guardian.clinic_id != by.clinic_id or patient.clinic_id != by.clinic_id:
        raise ValidationError("Only a guardian and a child of your own clinic can be linked.")
    if relationship not in Guardianship.Relationship.values:
        allowed = ", ".join(str(label) for _, label in Guardianship.Relationship.choices)
        raise ValidationError({"relationship": f"Choose one of: {allowed}."})
    if Guardianship.objects.filter(guardian=guardian, patient=patient).exists():
        raise ValidationError({"patient": f"{guardian.name} is already linked to {patient.name}."})
    return guardian_link(by=by, guardian=guardian, patient=patient, relationship=relationship)


# Password reset by email. The limits count the audit log's recent requests, per address asked
# about and per client address, in the database every app server shares: no state in a process.
RESET_OBJECT = "password_reset"
RESET_SENT = "requested"
RESET_REFUSED = "refused: too many requests"
RESET_WINDOW = timedelta(hours=1)
RESET_LIMIT_PER_EMAIL = 3
RESET_LIMIT_PER_IP = 10


@transaction.atomic
def password_reset_request(*, email: str) -> bool:
    """Someone, signed out, asked for a reset link for `email`. The link goes out from the tasks
    worker to an active account with that address, if there is one: what the person sees, and
    the work done here, are the same either way. False when too many links were asked for in the
    last hour, from this address or for this email; refused requests do not count."""
    email = email.strip()
    address = email.lower()[:150]
    ip = current_ip.get()
    recent = AuditEvent.objects.filter(
        object_type=RESET_OBJECT, detail=RESET_SENT, at__gte=timezone.now() - RESET_WINDOW
    )
    limited = recent.filter(actor_username=address).count() >= RESET_LIMIT_PER_EMAIL or (
        ip is not None and recent.filter(ip_address=ip).count() >= RESET_LIMIT_PER_IP
    )
    account = User.objects.filter(email__iexact=email).first()
    event = audit_event(
        by=None,
        action=Action.CREATE,
        object_type=RESET_OBJECT,
        object_id=account.pk if account else "",
        username=address,
        detail=RESET_REFUSED if limited else RESET_SENT,
    )
    if account is not None:
        event.clinic_id = account.clinic_id  # so the clinic's audit log shows it
    event.save()
    if limited:
        return False
    from backto.access.accounts.tasks import send_password_reset

    send_password_reset.enqueue(email)
    return True


def _password_set(user: User, password: str) -> None:
    """Validate and set a new password. Sign-in pauses after failures are lifted: they were
    counted against a password that no longer exists."""
    from backto.access.accounts.lockout import clear_failures

    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    clear_failures(user)


@transaction.atomic
def password_reset_complete(*, user: User, password: str) -> User:
    """Set the password from an emailed link, whose token the view has checked. The new
    password retires the link (its token is made from the old password) and ends the account's
    other sessions."""
    _password_set(user, password)
    audit(
        by=user,
        action=Action.UPDATE,
        obj=user,
        object_type="user",
        detail="password reset by email link",
    )
    return user


@transaction.atomic
def account_password_change(*, by: User, current_password: str, password: str) -> None:
    """Change one's own password; the current one is asked for first."""
    if not by.check_password(current_password):
        raise ValidationError({"old_password": _("That is not your current password.")})
    _password_set(by, password)
    audit(by=by, action=Action.UPDATE, obj=by, object_type="user", detail="password changed")


@transaction.atomic
def account_email_change(*, by: User, email: str, current_password: str) -> None:
    """Change one's own email, which is also where reset links go: the current password is
    asked for, and the old address is told of the change."""
    if not by.check_password(current_password):
        raise ValidationError({"current_password": _("That is not your current password.")})
    email = User.objects.normalize_email(email.strip())
    if not email:
        raise ValidationError({"email": _("Enter the email address to use from now on.")})
    if User.objects.filter(email__iexact=email).exclude(pk=by.pk).exists():
        raise ValidationError(
            {"email": _("Another account already uses this email address; choose a different one.")}
        )
    old = by.email
    if email == old:
        return
    by.email = email
    by.full_clean()
    by.save(update_fields=["email"])
    audit(by=by, action=Action.UPDATE, obj=by, object_type="user", detail="changed: email")
    if old and old.lower() != email.lower():
        from backto.access.accounts.tasks import send_email_changed_notice

        send_email_changed_notice.enqueue(old, by.language)


ACCOUNT_FIELDS = ("display_name", "credentials", "language")


@transaction.atomic
def account_update(*, by: User, **fields: Any) -> User:
    """Change one's own name as others see it, the language one reads BackTo in, and for staff
    the credentials on letters."""
    if fields.get("credentials") and not by.is_staff_member:
        raise ValidationError({"credentials": "Credentials are for the care team's letters."})
    account = User.objects.get(pk=by.pk)  # `by` may be the request's lazy user
    return apply_update(by=by, obj=account, fields=fields, allowed=ACCOUNT_FIELDS)


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
    "language",
    "paper_size",
    "logo",
    "family_rates_goals",
    "staff_two_factor_required",
    "translations",
)


@transaction.atomic
def clinic_update(*, by: User, clinic: Clinic, **fields: Any) -> Clinic:
    return apply_update(by=by, obj=clinic, fields=fields, allowed=CLINIC_FIELDS)


@transaction.atomic
def clinic_test_email_request(*, by: User) -> None:
    """Send the acting admin an email whose link proves that mail reaches people."""
    from backto.access.accounts.tasks import send_test_email

    audit(by=by, action=Action.CREATE, object_type="test_email", detail="requested")
    send_test_email.enqueue(by.pk)  # the tasks backend enqueues it when this transaction commits


def _clinic_mark_done(*, by: User, field: str, detail: str) -> None:
    """Stamp a first-run step of the acting admin's clinic as done now, audited."""
    clinic = by.clinic
    setattr(clinic, field, timezone.now())
    clinic.save(update_fields=[field])
    audit(by=by, action=Action.UPDATE, obj=clinic, detail=detail)


@transaction.atomic
def clinic_email_confirm(*, by: User) -> None:
    """The admin opened the test email's link: email delivery works."""
    _clinic_mark_done(by=by, field="email_confirmed_at", detail="email delivery confirmed")


@transaction.atomic
def clinic_backups_confirm(*, by: User) -> None:
    """The admin confirms that the database and uploaded files are backed up and restorable."""
    _clinic_mark_done(by=by, field="backups_confirmed_at", detail="backups confirmed")
