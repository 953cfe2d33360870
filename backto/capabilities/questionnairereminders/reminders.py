"""Questionnaire reminders by email, sent by the tasks worker (docs/questionnaire-reminders.md).

Each guardian or teen gets one reminder when a questionnaire they answer opens for them and one
a week before its last day (`queries.CLOSING_NOTICE_DAYS`) unless it is done by then, whether or
not they use the daily diary reminder: the follow-ups 1, 3, 6 and 12 months after discharge are
ordinary questionnaires and are reminded alike. A sweep sends one reminder per person by the channels they chose
(notifications.channels: push to their devices, a text, the email listing how many questionnaires
wait for them, with a link to their home page, signed with the clinic's name and number), never
naming the child or the questionnaires. It sends during the clinic's day only (SEND_FROM to
SEND_UNTIL in its time zone), so that nothing arrives at night, and not in a person's own quiet
hours: their reminder waits for a sweep after those end. `backto reminders`
queues the sweep every few minutes.

Each reminder goes out at most once: the sweep inserts its row (unique per questionnaire, person
and kind) before sending, and only the rows its own insert added are sent, so two workers never
send the same reminder. A reminder that no channel took (each refused) deletes its rows again,
for the next sweep.
"""

import logging
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext
from django_tasks import task

from backto.access.accounts.models import Clinic, UserKind
from backto.capabilities.measures.queries import FamilyWording
from backto.capabilities.notifications import messages
from backto.capabilities.notifications.channels import (
    Email,
    Notice,
    Recipient,
    notify_many,
    settings_for,
)
from backto.capabilities.questionnairereminders.models import QuestionnaireReminder, ReminderKind
from backto.capabilities.questionnairereminders.queries import (
    FAMILY_LINKS,
    FamilyLink,
    pending,
    reminder_pairs,
)

BATCH = 200  # people per batch
SEND_FROM = time(8, 0)
SEND_UNTIL = time(20, 0)
log = logging.getLogger(__name__)


def send_questionnaire_reminders(now: datetime | None = None) -> int:
    """Send every questionnaire reminder due by `now`, each clinic on its own date and only
    during its day. Returns how many emails went out."""
    now = now or timezone.now()
    sent = 0
    for clinic in Clinic.objects.order_by("pk"):
        local = timezone.localtime(now, ZoneInfo(clinic.time_zone))
        if not SEND_FROM <= local.time() < SEND_UNTIL:
            continue
        at_visit = FamilyWording(clinic).condition()
        for link in FAMILY_LINKS:
            sent += _send_for(link, clinic=clinic, now=now, today=local.date(), at_visit=at_visit)
    return sent


def _send_for(link: FamilyLink, *, clinic: Clinic, now: datetime, today: date, at_visit: Q) -> int:
    """Send the reminders of the clinic's guardians (or teens), BATCH people at a time.

    A batch costs the same few queries whatever its size: the next people with a reminder to
    send, their channels and quiet hours, every questionnaire waiting for them (to count), the
    insert of the reminders to send (on SQLite, one insert per 999 values), the read of those this
    insert added, and their push devices (with at most three writes for the devices' results).
    Every person is in one batch of a sweep, so gets at most one reminder from it."""
    pairs = reminder_pairs(link, clinic=clinic, today=today, at_visit=at_visit)
    sent = 0
    after = 0
    while True:
        people = list(
            pending(pairs)
            .filter(recipient__gt=after)
            .order_by("recipient")
            .values_list("recipient", flat=True)
            .distinct()[:BATCH]
        )
        if not people:
            return sent
        after = people[-1]
        choices = settings_for(people)
        local = timezone.localtime(now, ZoneInfo(clinic.time_zone)).time()
        quiet = {user_id for user_id in people if choices[user_id].in_quiet_hours(local)}
        waiting: Counter[int] = Counter()
        emails: dict[int, str] = {}
        languages: dict[int, str] = {}
        to_claim = []
        claim = uuid.uuid4()
        rows = pairs.filter(recipient__in=people).values_list(
            "pk", "recipient", "email", "recipient_language", "needs_opened", "needs_closing"
        )
        for administration_id, user_id, email, language, needs_opened, needs_closing in rows:
            if user_id in quiet:  # their quiet hours: left for a sweep after them
                continue
            waiting[user_id] += 1
            emails[user_id] = email
            languages[user_id] = language
            wanted: tuple[tuple[str, bool], ...] = (
                (ReminderKind.OPENED, needs_opened),
                (ReminderKind.CLOSING, needs_closing),
            )
            for kind, needed in wanted:
                if needed:
                    to_claim.append(
                        QuestionnaireReminder(
                            administration_id=administration_id,
                            user_id=user_id,
                            kind=kind,
                            sent_at=now,
                            claim=claim,
                        )
                    )
        # Another worker's sweep may have inserted some of these first: they are its to send.
        QuestionnaireReminder.objects.bulk_create(to_claim, ignore_conflicts=True)
        claimed: dict[int, Counter[str]] = defaultdict(Counter)
        for user_id, kind in QuestionnaireReminder.objects.filter(claim=claim).values_list(
            "user_id", "kind"
        ):
            claimed[user_id][kind] += 1
        users = list(claimed)
        notices = [
            _notice(
                Recipient(user_id, emails[user_id], languages[user_id]),
                clinic=clinic,
                teen=link.kind == UserKind.TEEN,
                waiting=waiting[user_id],
                opened=claimed[user_id][ReminderKind.OPENED],
                closing=claimed[user_id][ReminderKind.CLOSING],
            )
            for user_id in users
        ]
        for user_id, delivery in zip(users, notify_many(notices, choices=choices), strict=True):
            if delivery.reached:
                sent += 1
            elif delivery.held_back:  # each channel refused: for the next sweep
                log.warning(
                    "questionnaire reminder to user %s not sent: %s",
                    user_id,
                    ", ".join(delivery.failed),
                )
                QuestionnaireReminder.objects.filter(claim=claim, user_id=user_id).delete()
        if len(people) < BATCH:
            return sent


def _notice(
    user: Recipient, *, clinic: Clinic, teen: bool, waiting: int, opened: int, closing: int
) -> Notice:
    context = {
        "teen": teen,
        "waiting": waiting,
        "opened": opened,
        "closing": closing,
        "home": settings.SITE_URL + reverse("family_home"),
        # Who is writing, and how to reach them: never more about the child (nothing), nor
        # which questionnaires (their names would say what the program measures).
        "clinic": clinic,
    }

    def email() -> Email:  # made in the reader's language (notifications calls it so)
        # A teen is spoken to as "tú", a parent as "usted": the same English, two contexts.
        if closing:
            subject = _("A BackTo questionnaire closes soon")
        elif teen:
            subject = npgettext(
                "to a teen",
                "A BackTo questionnaire is waiting for you",
                "BackTo questionnaires are waiting for you",
                waiting,
            )
        else:
            subject = ngettext(
                "A BackTo questionnaire is waiting for you",
                "BackTo questionnaires are waiting for you",
                waiting,
            )
        return Email(
            subject, render_to_string("questionnairereminders/email/reminder.txt", context)
        )

    return Notice(user, messages.questionnaire_waiting(teen=teen), email)


@task()
def send_questionnaire_reminders_task() -> int:
    return send_questionnaire_reminders()
