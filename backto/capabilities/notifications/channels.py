"""notify(): one message to one family member by every channel they chose.

    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import care_team_message

    notify(user, care_team_message(url))  # -> Delivery(reached=("push", "email"), failed=())

Channels: Web Push to each device they subscribed (no choice to make: a device that subscribed
wants it), SMS when they turned it on and gave a number, email unless they turned it off. A
caller with a fuller email (the reminders', signed with the clinic's details) passes it as
`email`; otherwise the email is the message's title, body and link. notify() does not look at
quiet hours: the sweeps do (`in_quiet_hours`) before they claim a reminder, and a caller that
should wait through them asks the same.

Everything a person receives is in their language (User.language; staff and families alike):
each notice is sent with that language active, the message is worded again in it
(Message.in_language) and for its reader, "tú" to a teen and "usted" to a parent in Spanish (a
User's `is_teen`; a Recipient's when its caller says), and a caller's email may be given as a
function that makes it (`email=lambda: Email(...)`), called then, so its subject and template
speak the reader's language too. An Email given ready-made is sent as it is: build it under
`translation.override(user.language)`.

notify_many() sends a batch with the same few queries whatever its size: the settings and the
devices of everyone in it, then at most three writes for the devices' results.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone, translation

from backto.capabilities.notifications import push, sms
from backto.capabilities.notifications.messages import Message
from backto.capabilities.notifications.models import NotificationSettings, PushSubscription

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


@dataclass(frozen=True)
class Recipient:
    """Who a notice is for, when the caller has their id and email but not their User."""

    pk: int
    email: str
    language: str = ""  # User.language; empty: the notice is sent as its caller worded it
    is_teen: bool | None = None  # None: not known, the message goes as it was built (for whom)


@dataclass(frozen=True)
class Notice:
    user: Any  # a User (or a Recipient)
    message: Message
    # The email, or a function that makes it (called in the reader's language); None: the
    # message's own words and link.
    email: Email | Callable[[], Email] | None = None

    @property
    def language(self) -> str:
        """The reader's language; empty when the caller did not say (a Recipient without one)."""
        return getattr(self.user, "language", "") or ""

    @property
    def teen(self) -> bool | None:
        """Whether the reader is a teen (spoken to as "tú"); None when the caller did not say."""
        return getattr(self.user, "is_teen", None)


@dataclass(frozen=True)
class Delivery:
    reached: tuple[str, ...]  # the channels that took the message
    failed: tuple[str, ...]  # the channels chosen that did not

    @property
    def held_back(self) -> bool:
        """Nothing reached them though something was tried: worth trying again later."""
        return not self.reached and bool(self.failed)


def settings_for(user_ids: Iterable[int]) -> dict[int, NotificationSettings]:
    """Each person's settings, the defaults (unsaved) for those who never changed them."""
    ids = set(user_ids)
    found = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=ids)}
    return {i: found.get(i) or NotificationSettings(user_id=i) for i in ids}


def in_quiet_hours(choice: NotificationSettings, now: datetime, zone: str) -> bool:
    """Whether `now` falls in this person's quiet hours in the clinic's time zone."""
    return choice.in_quiet_hours(timezone.localtime(now, ZoneInfo(zone)).time())


def notify(
    user: Any, message: Message, *, email: Email | Callable[[], Email] | None = None
) -> Delivery:
    return notify_many([Notice(user, message, email)])[0]


def notify_many(
    notices: Sequence[Notice], *, choices: dict[int, NotificationSettings] | None = None
) -> list[Delivery]:
    """Send each notice by its person's channels; `choices` when the caller has read them."""
    if not notices:
        return []
    user_ids = {n.user.pk for n in notices}
    if choices is None:
        choices = settings_for(user_ids)
    devices: dict[int, list[PushSubscription]] = defaultdict(list)
    for device in PushSubscription.objects.filter(user_id__in=user_ids).order_by("pk"):
        devices[device.user_id].append(device)
    outcome = push.PushOutcome()
    texts = _Texts()
    deliveries = []
    for notice in notices:
        choice = choices.get(notice.user.pk) or NotificationSettings(user_id=notice.user.pk)
        # The reader's language, or (not known) the language the caller is working in.
        with translation.override(notice.language or translation.get_language()):
            deliveries.append(
                _deliver(notice, choice, devices.get(notice.user.pk, []), outcome, texts)
            )
    _record(outcome)
    return deliveries


class _Texts:
    """The SMS backend, made once per batch when the first text is sent."""

    def __init__(self) -> None:
        self._backend: sms.SMSBackend | None = None

    def send(self, *, user_id: int, to: str, text: str) -> None:
        self._backend = self._backend or sms.backend()
        self._backend.send(user_id=user_id, to=to, text=text)


def _deliver(
    notice: Notice,
    choice: NotificationSettings,
    mine: list[PushSubscription],
    outcome: push.PushOutcome,
    texts: _Texts,
) -> Delivery:
    """One notice by each of its person's channels, in the language active (theirs)."""
    reached: list[str] = []
    failed: list[str] = []
    message = notice.message
    if notice.language or notice.teen is not None:  # worded again for its reader
        language = notice.language or translation.get_language() or settings.LANGUAGE_CODE
        message = message.in_language(language, teen=notice.teen)
    if mine:
        results = [push.send(device, message, outcome) for device in mine]
        (reached if any(results) else failed).append("push")
    if choice.sms_enabled and choice.phone:
        try:
            texts.send(
                user_id=notice.user.pk, to=choice.phone, text=message.sms_text(settings.SITE_URL)
            )
        except Exception as error:  # one refused text must not cost the others theirs
            failed.append("sms")
            # SMSError says the status, never the number; anything else, its class only.
            said = error if isinstance(error, sms.SMSError) else type(error).__name__
            log.warning("SMS to user %s not sent: %s", notice.user.pk, said)
        else:
            reached.append("sms")
    if choice.email_enabled and notice.user.email:
        given = notice.email() if callable(notice.email) else notice.email
        email = given or Email(
            message.title, f"{message.body}\n\n{settings.SITE_URL}{message.url}\n"
        )
        try:
            send_mail(
                subject=email.subject,
                message=email.body,
                from_email=None,
                recipient_list=[notice.user.email],
            )
        except Exception as error:
            failed.append("email")
            log.warning("email to user %s not sent: %s", notice.user.pk, type(error).__name__)
        else:
            reached.append("email")
    return Delivery(tuple(reached), tuple(failed))


def _record(outcome: push.PushOutcome) -> None:
    if outcome.delivered:
        PushSubscription.objects.filter(pk__in=outcome.delivered).update(
            last_success=timezone.now(), failures=0
        )
    if outcome.failed:
        PushSubscription.objects.filter(pk__in=outcome.failed).update(failures=F("failures") + 1)
    if outcome.gone:
        PushSubscription.objects.filter(pk__in=outcome.gone).delete()
