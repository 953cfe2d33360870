"""What a notification says: a title, a short body and the page it opens, never more.

Notification text shows on a lock screen and passes through push and SMS providers, so it never
names the child, never says which questionnaire, and carries no health detail: only that there
is something to do in BackTo. Every builder is listed in BUILDERS, and a test reads them all.

Each text is in its reader's language (User.language). A builder words its message in the
language active when it is called, and the message remembers how it was made, so that
`message.in_language("es")` words it again in Spanish; notifications.channels.notify_many does
that for each recipient, whoever built the message and in whatever language.

A builder whose words speak to a family member takes `teen`: in Spanish a teen is spoken to as
"tú", a parent as "usted" (docs/i18n.md), so the same English has a "to a teen" context. The
message remembers that too, and notify_many words it again for its reader (a User's `is_teen`),
so a message built for a parent still reaches a teen in the teen's words. English is the same
for both.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import wraps
from inspect import signature
from typing import ParamSpec

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

P = ParamSpec("P")


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # a path on this site (ids only), opened when the notification is tapped
    tag: str  # a device shows one notification per tag: a newer one replaces the older
    # The builder call that made it, to word it again in another language, and for a teen or
    # not (None: as it was made); None: as it is.
    remake: Callable[[bool | None], "Message"] | None = field(
        default=None, compare=False, repr=False
    )

    def payload(self) -> dict[str, str]:
        """The Web Push payload the family app's service worker shows."""
        return {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag}

    def sms_text(self, site_url: str) -> str:
        return f"BackTo: {self.title}. {self.body} {site_url}{self.url}"

    def in_language(self, language: str, *, teen: bool | None = None) -> "Message":
        """The same message worded in `language` (a code of settings.LANGUAGES), and for a
        teen (True), a parent or anyone else (False) or whoever it was built for (None)."""
        if self.remake is None:
            return self
        with translation.override(language):
            return self.remake(teen)


def _remade(build: Callable[P, Message]) -> Callable[P, Message]:
    """A builder whose messages remember the call that made them (Message.in_language)."""
    speaks_to_family = "teen" in signature(build).parameters

    @wraps(build)
    def builder(*args: P.args, **kwargs: P.kwargs) -> Message:
        def remake(teen: bool | None) -> Message:
            if teen is None or not speaks_to_family:
                return builder(*args, **kwargs)
            return builder(*args, **{**kwargs, "teen": teen})  # type: ignore[arg-type]

        return replace(build(*args, **kwargs), remake=remake)

    return builder


@_remade
def diary_reminder(patient_id: int, *, teen: bool = False) -> Message:
    return Message(
        title=_("Time for today's BackTo diary"),
        body=pgettext("to a teen", "A minute or two, whenever suits you.")
        if teen
        else _("A minute or two, whenever suits you."),
        url=reverse("diary_today", args=[patient_id]),
        tag="diary",
    )


@_remade
def questionnaire_waiting(*, teen: bool = False) -> Message:
    return Message(
        title=_("A questionnaire is waiting in BackTo"),
        body=pgettext("to a teen", "Open BackTo to fill it in when you have a moment.")
        if teen
        else _("Open BackTo to fill it in when you have a moment."),
        url=reverse("family_home"),
        tag="questionnaire",
    )


@_remade
def care_team_message(url: str, *, teen: bool = False) -> Message:
    """For the messaging capability (issue 21): `url` is the conversation's page."""
    return Message(
        title=_("A message from your care team"),
        body=pgettext("to a teen", "Open BackTo to read it.")
        if teen
        else _("Open BackTo to read it."),
        url=url,
        tag="message",
    )


@_remade
def family_message_waiting(url: str) -> Message:
    """To a care team member (by their chosen way, messaging.StaffMessagePreference): a family
    wrote. `url` is the conversation's page."""
    return Message(
        title=_("A family wrote to the care team"),
        body=_("Open BackTo to read and reply."),
        url=url,
        tag="message",
    )


@_remade
def messages_digest(waiting: int, url: str) -> Message:
    """A team member's daily digest: how many conversations wait for a reply, never whose."""
    return Message(
        title=_("Messages waiting in BackTo"),
        body=ngettext(
            "%(count)d conversation waiting for a reply.",
            "%(count)d conversations waiting for a reply.",
            waiting,
        )
        % {"count": waiting},
        url=url,
        tag="digest",
    )


@_remade
def appointment_tomorrow(url: str, *, teen: bool = False) -> Message:
    """The day before an appointment: no kind, place or name, only that there is one."""
    return Message(
        title=_("An appointment tomorrow"),
        body=pgettext("to a teen", "Open BackTo to see the time and place.")
        if teen
        else _("Open BackTo to see the time and place."),
        url=url,
        tag="appointment",
    )


BUILDERS: dict[str, Callable[[], Message]] = {
    "diary_reminder": lambda: diary_reminder(1),
    "diary_reminder to a teen": lambda: diary_reminder(1, teen=True),
    "questionnaire_waiting": questionnaire_waiting,
    "questionnaire_waiting to a teen": lambda: questionnaire_waiting(teen=True),
    "care_team_message": lambda: care_team_message(reverse("family_home")),
    "care_team_message to a teen": lambda: care_team_message(reverse("family_home"), teen=True),
    "family_message_waiting": lambda: family_message_waiting(reverse("family_home")),
    "messages_digest": lambda: messages_digest(3, reverse("family_home")),
    "appointment_tomorrow": lambda: appointment_tomorrow(reverse("family_home")),
    "appointment_tomorrow to a teen": lambda: appointment_tomorrow(
        reverse("family_home"), teen=True
    ),
}
