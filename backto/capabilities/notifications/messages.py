"""What a notification says: a title, a short body and the page it opens, never more.

Notification text shows on a lock screen and passes through push and SMS providers, so it never
names the child, never says which questionnaire, and carries no health detail: only that there
is something to do in BackTo. Every builder is listed in BUILDERS, and a test reads them all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # a path on this site (ids only), opened when the notification is tapped
    tag: str  # a device shows one notification per tag: a newer one replaces the older

    def payload(self) -> dict[str, str]:
        """The Web Push payload the family app's service worker shows."""
        return {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag}

    def sms_text(self, site_url: str) -> str:
        return f"BackTo: {self.title}. {self.body} {site_url}{self.url}"


def diary_reminder(patient_id: int) -> Message:
    return Message(
        title="Time for today's BackTo diary",
        body="A minute or two, whenever suits you.",
        url=reverse("diary_today", args=[patient_id]),
        tag="diary",
    )


def questionnaire_waiting() -> Message:
    return Message(
        title="A questionnaire is waiting in BackTo",
        body="Open BackTo to fill it in when you have a moment.",
        url=reverse("family_home"),
        tag="questionnaire",
    )


def care_team_message(url: str) -> Message:
    """For the messaging capability (issue 21): `url` is the conversation's page."""
    return Message(
        title="A message from your care team",
        body="Open BackTo to read it.",
        url=url,
        tag="message",
    )


def family_message_waiting(url: str) -> Message:
    """To a care team member (by their chosen way, messaging.StaffMessagePreference): a family
    wrote. `url` is the conversation's page."""
    return Message(
        title="A family wrote to the care team",
        body="Open BackTo to read and reply.",
        url=url,
        tag="message",
    )


def messages_digest(waiting: int, url: str) -> Message:
    """A team member's daily digest: how many conversations wait for a reply, never whose."""
    return Message(
        title="Messages waiting in BackTo",
        body=f"{waiting} conversation{'s' if waiting != 1 else ''} waiting for a reply.",
        url=url,
        tag="digest",
    )


def appointment_tomorrow(url: str) -> Message:
    """The day before an appointment: no kind, place or name, only that there is one."""
    return Message(
        title="An appointment tomorrow",
        body="Open BackTo to see the time and place.",
        url=url,
        tag="appointment",
    )


BUILDERS: dict[str, Callable[[], Message]] = {
    "diary_reminder": lambda: diary_reminder(1),
    "questionnaire_waiting": questionnaire_waiting,
    "care_team_message": lambda: care_team_message(reverse("family_home")),
    "family_message_waiting": lambda: family_message_waiting(reverse("family_home")),
    "messages_digest": lambda: messages_digest(3, reverse("family_home")),
    "appointment_tomorrow": lambda: appointment_tomorrow(reverse("family_home")),
}
