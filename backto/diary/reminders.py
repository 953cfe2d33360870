"""Daily diary reminders by email, sent by the tasks worker.

A sweep finds the reminders whose time has come today and that have not gone out yet, marks each
as sent in its own transaction (rows locked with SKIP LOCKED, so two workers never send the same
reminder twice), and emails a one-tap link to today's diary with the number of questionnaires
waiting for this person. Someone who has written today and has none waiting gets no email. `backto reminders` queues the sweep every few minutes.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from backto.diary.models import DiaryEntry, Reminder
from backto.measures.queries import due_for_family


def send_due_reminders(now: datetime | None = None) -> int:
    """Send every reminder due by `now` (clinic local time). Returns how many emails went out."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    due = Reminder.objects.filter(
        Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=today),
        enabled=True,
        time_of_day__lte=now.time(),
        user__is_active=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            reminder = (
                Reminder.objects.select_for_update(skip_locked=True)
                .select_related("user")
                .filter(pk=pk)
                .filter(Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=today))
                .first()
            )
            if reminder is None:
                continue  # another worker has it
            reminder.last_sent_on = today
            reminder.save(update_fields=["last_sent_on"])
            written = DiaryEntry.objects.filter(
                patient_id=reminder.patient_id, author_id=reminder.user_id, day=today
            ).exists()
        questionnaires = len(
            due_for_family(reminder.user, [reminder.patient_id]).get(reminder.patient_id, [])
        )
        if (written and not questionnaires) or not reminder.user.email:
            continue
        context = {
            "link": settings.SITE_URL + reverse("diary_today", args=[reminder.patient_id]),
            "written": written,
            "questionnaires": questionnaires,
            "home": settings.SITE_URL + reverse("family_home"),
        }
        send_mail(
            subject="Today's BackTo diary" if not written else "BackTo questionnaires to fill in",
            message=render_to_string("diary/email/reminder.txt", context),
            from_email=None,
            recipient_list=[reminder.user.email],
        )
        sent += 1
    return sent


@task()
def send_due_reminders_task() -> int:
    return send_due_reminders()
