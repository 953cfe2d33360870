"""Two-step sign-in: after the password, a passkey (WebAuthn), a code from an authenticator app
(TOTP) or a one-time recovery code. django-otp keeps the devices and marks a session verified;
this module says who must take the second step, and makes every change to a person's devices
(keyword-only, the acting user as `by`, atomic, audited in the same transaction).

Staff of a clinic that asks for it (the default) set a device up at their first sign-in; families
may turn it on from My account. Anyone with a device takes the second step at every sign-in.
"""

import base64
import binascii
import time
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from backto.access.accounts.models import User
from backto.audit.log import audit, audit_event
from backto.audit.models import Action

RECOVERY_CODE_COUNT = 10
# Set at sign-in for a person who then had a device: they take the second step whatever their
# clinic asks of staff (backto.access.accounts.signals).
SESSION_KEY = "backto_second_step"


def is_verified(user: Any) -> bool:
    """Has this session passed the second step (django-otp's middleware says by which device)?"""
    return getattr(user, "otp_device", None) is not None


def second_step_due(request: HttpRequest) -> bool:
    """Must this signed-in person confirm a second step before anything else?"""
    if not settings.TWO_FACTOR_ENFORCED:
        return False
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return False
    if user.is_staff_member and user.clinic.staff_two_factor_required:
        return True
    if request.session.get(SESSION_KEY):
        if has_device(user):
            return True
        request.session[SESSION_KEY] = False  # their last device was removed since sign-in
    return False


def has_device(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def has_sign_in_device(user: User) -> bool:
    """A passkey or an authenticator app: recovery codes alone are not a way to sign in."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


@dataclass(frozen=True)
class DeviceSummary:
    id: str  # django-otp's persistent id
    kind: str  # "app", "passkey" or "recovery"
    label: str
    added: Any
    last_used: Any
    remaining: int | None = None


def devices_summary(user: User) -> list[DeviceSummary]:
    """The person's devices, in words for My account and the staff page."""
    rows = []
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        rows.append(
            DeviceSummary(
                device.persistent_id,
                "app",
                _("Authenticator app"),
                device.created_at,
                device.last_used_at,
            )
        )
    for passkey in WebAuthnCredential.objects.filter(user=user, confirmed=True):
        rows.append(
            DeviceSummary(
                passkey.persistent_id,
                "passkey",
                _("Passkey: %(name)s") % {"name": passkey.name} if passkey.name else _("Passkey"),
                passkey.created_at,
                passkey.last_used_at,
            )
        )
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        rows.append(
            DeviceSummary(
                static.persistent_id,
                "recovery",
                _("Recovery codes"),
                static.created_at,
                static.last_used_at,
                remaining=static.token_set.count(),
            )
        )
    return rows


# --- The authenticator app


def new_app_key() -> str:
    return random_hex(20)


def app_setup_uri(user: User, key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=key).config_url


def app_secret_for_typing(key: str) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(binascii.unhexlify(key)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(data: str) -> str:
    """A QR code as an SVG data: URI (the page's Content-Security-Policy allows data: images)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg: bytes = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _clean_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def app_add(*, by: User, key: str, code: str) -> TOTPDevice:
    """Add an authenticator app once it shows the code the key makes now (or a step either
    side, for a phone's clock that is a little off)."""
    if TOTPDevice.objects.filter(user=by).exists():
        raise ValidationError(_("You already have an authenticator app; remove it first."))
    totp = TOTP(binascii.unhexlify(key), step=30, digits=6)
    totp.time = time.time()
    cleaned = _clean_code(code)
    if not (cleaned.isdigit() and totp.verify(int(cleaned), tolerance=1)):
        raise ValidationError(
            {"code": _("That code does not match. Type the 6 digits the app shows now.")}
        )
    device = TOTPDevice.objects.create(
        user=by, name="Authenticator app", key=key, confirmed=True, last_t=totp.t()
    )
    audit(by=by, action=Action.CREATE, obj=by, object_type="user", detail="2-step: app added")
    return device


# --- Recovery codes


@transaction.atomic
def recovery_codes_new(*, by: User) -> list[str]:
    """A fresh set of one-time recovery codes; any earlier set stops working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=by, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit(by=by, action=Action.CREATE, obj=by, object_type="user", detail="2-step: new codes")
    return codes


def recovery_codes_if_missing(*, by: User) -> list[str] | None:
    """Recovery codes for a person who has just set up their first way to sign in."""
    if StaticDevice.objects.filter(user=by).exists():
        return None
    return recovery_codes_new(by=by)


# --- Taking the second step


def verify_code(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code` (an app's code or a recovery code), if any. Each device
    slows down after wrong codes (django-otp's throttling); a recovery code works once."""
    cleaned = _clean_code(code)
    if not cleaned:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, TOTPDevice | StaticDevice) and device.verify_token(cleaned):
                return device
    return None


def second_step_passed(request: HttpRequest, device: Any) -> None:
    """Mark the session verified by `device`, with a new session key, and audit it."""
    otp_login(request, device)
    request.session.cycle_key()
    user = request.user
    kind = {TOTPDevice: "app", StaticDevice: "recovery code"}.get(type(device), "passkey")
    audit(by=user, action=Action.LOGIN, obj=user, object_type="user", detail=f"2-step: {kind}")


def second_step_refused(user: User) -> None:
    audit(
        by=user,
        action=Action.LOGIN_FAILED,
        obj=user,
        object_type="user",
        detail="2-step: wrong code",
    )


# --- Removing devices


def _device_of(user: User, persistent_id: str) -> Any:
    for device in devices_for_user(user, confirmed=None):
        if device.persistent_id == persistent_id:
            return device
    return None


def _must_keep_one(user: User) -> bool:
    return user.is_staff_member and user.clinic.staff_two_factor_required


@transaction.atomic
def device_remove(*, by: User, persistent_id: str) -> None:
    """Remove one of one's own devices. The last passkey or app takes the recovery codes with it
    (two-step sign-in is then off), which staff may not do where their clinic asks for it."""
    device = _device_of(by, persistent_id)
    if device is None:
        raise ValidationError(_("That device is not one of yours."))
    if isinstance(device, StaticDevice):
        raise ValidationError(_("Recovery codes are replaced with new ones, not removed."))
    device.delete()
    turned_off = not has_sign_in_device(by)
    if turned_off and _must_keep_one(by):
        raise ValidationError(
            _(
                "Your clinic asks staff to sign in with a second step: add another passkey or "
                "app before you remove this one."
            )
        )
    if turned_off:
        StaticDevice.objects.filter(user=by).delete()
    label = "passkey" if isinstance(device, WebAuthnCredential) else "app"
    detail = f"2-step: {label} removed" + ("; 2-step off" if turned_off else "")
    audit(by=by, action=Action.DELETE, obj=by, object_type="user", detail=detail)


@transaction.atomic
def two_factor_reset(*, by: User | None, user: User) -> int:
    """Remove every device of a person who lost theirs: a clinic admin from the staff page, or
    (`by=None`) whoever runs `backto two_step_reset` on the server, for a clinic's only admin.
    The person sets a new one up at their next page (their clinic asking for it), and no session
    of theirs is verified any longer: each was verified by a device that is gone."""
    if by is not None and user.pk == by.pk:
        raise ValidationError("Another clinic admin must reset your own two-step sign-in.")
    if by is not None and user.clinic_id != by.clinic_id:
        raise ValidationError("Only an account of your own clinic can be reset.")
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    who = "an admin" if by is not None else "the server's command line"
    event = audit_event(
        by=by,
        action=Action.UPDATE,
        obj=user,
        object_type="user",
        username="backto two_step_reset",
        detail=f"2-step reset by {who} ({removed} devices removed)",
    )
    event.clinic_id = user.clinic_id
    event.save()
    return removed
