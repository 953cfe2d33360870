"""Daily diary reminders, sent by the tasks worker by each family member's chosen channels
(push to their devices, a text, an email: notifications.channels).

A sweep finds the reminders whose time has come today in the clinic's time zone and that have not
gone out yet, marks them sent in batches (rows locked with SKIP LOCKED, so two workers never send
the same reminder twice), and sends a one-tap link to today's diary; the email also counts the
questionnaires waiting for this person and is signed with the clinic's name and phone number.
Someone who has written today and has none waiting gets nothing. `backto reminders` queues the
sweep every few minutes.

Two kindnesses:

- Quiet hours (notifications.models.NotificationSettings, 21:00 to 07:00 unless changed): a
  reminder whose time falls in them waits until they end, the same day. A reminder set inside
  quiet hours that reach the end of the day (22:00 with quiet from 21:00) does not go that day;
  the Reminders page says so when the time is chosen.
- Resting: after PAUSE_AFTER days in a row with no diary from this person for this child (since
  the reminder was turned on), no more reminders for that child until they write again. Writing
  any day starts them again the next day; nothing has to be caught up.
"""

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from backto.access.accounts.models import Clinic
from backto.capabilities.diary.models import DiaryEntry, Reminder
from backto.capabilities.measures.queries import due_counts
from backto.capabilities.notifications import messages
from backto.capabilities.notifications.channels import Email, Notice, notify_many, settings_for

BATCH = 200
PAUSE_AFTER = 3  # days in a row without a diary, after which a reminder rests
log = logging.getLogger(__name__)


def resting(reminder: Reminder, *, today: date, written_days: set[date]) -> bool:
    """Whether the reminder rests today: on for PAUSE_AFTER days or more, and none of the last
    PAUSE_AFTER days (before today) has a diary from this person. So after a diary on day D,
    reminders go on D+1 to D+PAUSE_AFTER, then rest until the next diary."""
    window = [today - timedelta(days=n) for n in range(1, PAUSE_AFTER + 1)]
    return reminder.started_on <= window[-1] and not written_days.intersection(window)


def send_due_reminders(now: datetime | None = None) -> int:
    """Send every reminder due by `now`, each at its time of day in its clinic's time zone.
    Returns how many people were reached (by at least one channel)."""
    now = now or timezone.now()
    zones = Clinic.objects.values_list("time_zone", flat=True).distinct()
    return sum(_send_due_in(zone, timezone.localtime(now, ZoneInfo(zone))) for zone in zones)


def _send_due_in(zone: str, now: datetime) -> int:
    """Send the reminders of the clinics in `zone` due by `now` (that zone's local time).

    Reminders are claimed in batches: one transaction locks up to BATCH due reminders (skipping
    rows another worker holds), reads the people's channels and quiet hours and their diaries of
    the last few days, and marks sent those not in quiet hours; the messages go out after it
    commits. A batch costs the same few queries whatever its size (two more per clinic and kind
    of reader in it, for the questionnaires waiting, and a few for the devices pushed to). A
    reminder that reached no channel because each refused goes back for the next sweep; the
    others in the batch still go out. One in quiet hours is left unclaimed for a later sweep."""
    today = now.date()
    not_sent_today = Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=today)
    sent = 0
    skipped: set[int] = set()  # refused or in quiet hours: not tried again in this sweep
    while True:
        with transaction.atomic():
            batch = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user__clinic")
                .filter(
                    not_sent_today,
                    patient__clinic__time_zone=zone,
                    enabled=True,
                    time_of_day__lte=now.time(),
                    user__is_active=True,
                )
                .exclude(pk__in=skipped)
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return sent
            choices = settings_for(r.user_id for r in batch)
            quiet = {r.pk for r in batch if choices[r.user_id].in_quiet_hours(now.time())}
            skipped |= quiet
            batch = [r for r in batch if r.pk not in quiet]
            if not batch:
                continue
            before = {r.pk: r.last_sent_on for r in batch}
            Reminder.objects.filter(pk__in=[r.pk for r in batch]).update(last_sent_on=today)
            written: dict[tuple[int, int], set[date]] = defaultdict(set)
            for patient_id, author_id, day in DiaryEntry.objects.filter(
                day__gte=today - timedelta(days=PAUSE_AFTER),
                day__lte=today,
                patient_id__in={r.patient_id for r in batch},
                author_id__in={r.user_id for r in batch},
            ).values_list("patient_id", "author_id", "day"):
                written[(patient_id, author_id)].add(day)
        batch = [
            r
            for r in batch
            if not resting(r, today=today, written_days=written[(r.patient_id, r.user_id)])
        ]
        readers: dict[tuple[Clinic, bool], list[int]] = defaultdict(list)
        for reminder in batch:
            readers[(reminder.user.clinic, reminder.user.is_teen)].append(reminder.patient_id)
        waiting = {
            (clinic, teen): due_counts(teen=teen, patient_ids=patient_ids, clinic=clinic)
            for (clinic, teen), patient_ids in readers.items()
        }
        notices: list[tuple[Reminder, Notice]] = []
        for reminder in batch:
            has_written = today in written[(reminder.patient_id, reminder.user_id)]
            questionnaires = waiting[(reminder.user.clinic, reminder.user.is_teen)].get(
                reminder.patient_id, 0
            )
            if has_written and not questionnaires:
                continue
            notices.append((reminder, _notice(reminder, has_written, questionnaires)))
        deliveries = notify_many([n for _, n in notices], choices=choices)
        for (reminder, _), delivery in zip(notices, deliveries, strict=True):
            if delivery.reached:
                sent += 1
            elif delivery.held_back:  # every channel refused: back for the next sweep
                skipped.add(reminder.pk)
                log.warning(
                    "diary reminder %s not sent: %s", reminder.pk, ", ".join(delivery.failed)
                )
                Reminder.objects.filter(pk=reminder.pk, last_sent_on=today).update(
                    last_sent_on=before[reminder.pk]
                )


def _notice(reminder: Reminder, written: bool, questionnaires: int) -> Notice:
    context = {
        "link": settings.SITE_URL + reverse("diary_today", args=[reminder.patient_id]),
        "written": written,
        "questionnaires": questionnaires,
        "home": settings.SITE_URL + reverse("family_home"),
        "reminders": settings.SITE_URL + reverse("reminders"),
        # A teen is spoken to as "tú", a parent as "usted": the same English, two contexts.
        "teen": reminder.user.is_teen,
        # Who is writing, and how to reach them: the clinic's name and number, never more
        # about the child than the email already says (nothing).
        "clinic": reminder.user.clinic,
    }
    # In the words of the person reminded (their account's language).
    with translation.override(reminder.user.language or settings.LANGUAGE_CODE):
        email = Email(
            subject=gettext("Today's BackTo diary")
            if not written
            else gettext("BackTo questionnaires to fill in"),
            body=render_to_string("diary/email/reminder.txt", context),
        )
    teen = reminder.user.is_teen
    message = (
        messages.questionnaire_waiting(teen=teen)
        if written
        else messages.diary_reminder(reminder.patient_id, teen=teen)
    )
    return Notice(reminder.user, message, email)


@task()
def send_due_reminders_task() -> int:
    return send_due_reminders()
