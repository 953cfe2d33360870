"""Every write of a family member's reminder channels: atomic, audited, only their own."""

from datetime import datetime, time

from django.core.exceptions import PermissionDenied
from django.db import transaction

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.notifications.models import NotificationSettings, PushSubscription

# Reminders are a family's: the same permission as writing the diary they remind of.
FAMILY = Permission.DIARY_WRITE


def _check(by: User) -> None:
    if FAMILY not in by.permissions:
        raise PermissionDenied("Reminders are for families.")


@transaction.atomic
def channels_set(
    *, by: User, email_enabled: bool, sms_enabled: bool, phone: str
) -> NotificationSettings:
    """Email on or off, texts on or off, and the mobile number (kept when texts are off, so
    turning them on again needs no retyping)."""
    _check(by)
    choice, _ = NotificationSettings.objects.select_for_update().get_or_create(user=by)
    changed_phone = choice.phone != phone
    choice.email_enabled = email_enabled
    choice.sms_enabled = sms_enabled
    choice.phone = phone
    choice.save()
    detail = f"email {'on' if email_enabled else 'off'}, sms {'on' if sms_enabled else 'off'}"
    audit(
        by=by,
        action=Action.UPDATE,
        obj=choice,
        # Never the number itself: only that it changed.
        detail=detail + (", mobile number changed" if changed_phone else ""),
    )
    return choice


@transaction.atomic
def quiet_hours_set(*, by: User, quiet_from: time, quiet_until: time) -> NotificationSettings:
    _check(by)
    choice, _ = NotificationSettings.objects.select_for_update().get_or_create(user=by)
    choice.quiet_from = quiet_from
    choice.quiet_until = quiet_until
    choice.save()
    audit(
        by=by,
        action=Action.UPDATE,
        obj=choice,
        detail=f"quiet hours {quiet_from:%H:%M}-{quiet_until:%H:%M}",
    )
    return choice


@transaction.atomic
def push_subscribe(
    *, by: User, endpoint: str, p256dh: str, auth: str, user_agent: str, now: datetime
) -> PushSubscription:
    """This device receives this person's pushes. A device another person subscribed before
    (a shared tablet) becomes this person's: one device, one family member at a time."""
    _check(by)
    device, created = PushSubscription.objects.select_for_update().get_or_create(
        endpoint=endpoint,
        defaults={
            "user": by,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": user_agent[:120],
            "created": now,
        },
    )
    if not created:
        device.user = by
        device.p256dh = p256dh
        device.auth = auth
        device.user_agent = user_agent[:120]
        device.failures = 0
        device.save()
    audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        obj=device,
        detail="push on for this device",
    )
    return device


@transaction.atomic
def push_unsubscribe(*, by: User, endpoint: str) -> bool:
    """This device stops receiving this person's pushes. False when it had none of theirs."""
    _check(by)
    device = PushSubscription.objects.filter(user=by, endpoint=endpoint).first()
    if device is None:
        return False
    audit(by=by, action=Action.DELETE, obj=device, detail="push off for this device")
    device.delete()
    return True
