"""Daily diary reminders by email, sent by the tasks worker.

A sweep finds the reminders whose time has come today and that have not gone out yet, marks them
sent in batches (rows locked with SKIP LOCKED, so two workers never send the same reminder
twice), and emails a one-tap link to today's diary with the number of questionnaires
waiting for this person, signed with the clinic's name and phone number. Someone who has
written today and has none waiting gets no email. `backto reminders` queues the sweep every few
minutes.
"""

import logging
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from backto.access.accounts.models import Clinic
from backto.capabilities.diary.models import DiaryEntry, Reminder
from backto.capabilities.measures.queries import due_counts

BATCH = 200
log = logging.getLogger(__name__)


def send_due_reminders(now: datetime | None = None) -> int:
    """Send every reminder due by `now`, each at its time of day in its clinic's time zone.
    Returns how many emails went out."""
    now = now or timezone.now()
    zones = Clinic.objects.values_list("time_zone", flat=True).distinct()
    return sum(_send_due_in(zone, timezone.localtime(now, ZoneInfo(zone))) for zone in zones)


def _send_due_in(zone: str, now: datetime) -> int:
    """Send the reminders of the clinics in `zone` due by `now` (that zone's local time).

    Reminders are claimed in batches: one transaction locks up to BATCH due reminders (skipping
    rows another worker holds), marks them sent and reads who has written today; the emails go
    out after it commits. A batch costs the same few queries whatever its size (two more per
    clinic and kind of reader in it, for the questionnaires waiting). An email that
    fails puts its reminder back for the next sweep; the others in the batch still go out."""
    today = now.date()
    not_sent_today = Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=today)
    sent = 0
    failed: set[int] = set()  # put back for the next sweep, not retried in this one
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
                .exclude(pk__in=failed)
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return sent
            before = {r.pk: r.last_sent_on for r in batch}
            Reminder.objects.filter(pk__in=[r.pk for r in batch]).update(last_sent_on=today)
            written = set(
                DiaryEntry.objects.filter(
                    day=today,
                    patient_id__in={r.patient_id for r in batch},
                    author_id__in={r.user_id for r in batch},
                ).values_list("patient_id", "author_id")
            )
        readers: dict[tuple[Clinic, bool], list[int]] = defaultdict(list)
        for reminder in batch:
            readers[(reminder.user.clinic, reminder.user.is_teen)].append(reminder.patient_id)
        waiting = {
            (clinic, teen): due_counts(teen=teen, patient_ids=patient_ids, clinic=clinic)
            for (clinic, teen), patient_ids in readers.items()
        }
        for reminder in batch:
            has_written = (reminder.patient_id, reminder.user_id) in written
            questionnaires = waiting[(reminder.user.clinic, reminder.user.is_teen)].get(
                reminder.patient_id, 0
            )
            if (has_written and not questionnaires) or not reminder.user.email:
                continue
            try:
                _send(reminder, written=has_written, questionnaires=questionnaires)
            except Exception as error:  # one address refused must not cost the others theirs
                failed.add(reminder.pk)
                log.warning("diary reminder %s not sent: %s", reminder.pk, type(error).__name__)
                Reminder.objects.filter(pk=reminder.pk, last_sent_on=today).update(
                    last_sent_on=before[reminder.pk]
                )
                continue
            sent += 1


def _send(reminder: Reminder, *, written: bool, questionnaires: int) -> None:
    context = {
        "link": settings.SITE_URL + reverse("diary_today", args=[reminder.patient_id]),
        "written": written,
        "questionnaires": questionnaires,
        "home": settings.SITE_URL + reverse("family_home"),
        # Who is writing, and how to reach them: the clinic's name and number, never more
        # about the child than the email already says (nothing).
        "clinic": reminder.user.clinic,
    }
    send_mail(
        subject="Today's BackTo diary" if not written else "BackTo questionnaires to fill in",
        message=render_to_string("diary/email/reminder.txt", context),
        from_email=None,
        recipient_list=[reminder.user.email],
    )


@task()
def send_due_reminders_task() -> int:
    return send_due_reminders()
