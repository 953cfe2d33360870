"""The day-before reminder of an appointment, sent by the tasks worker by each family member's
chosen channels (notifications.channels: push, a text, an email).

From REMIND_AT (17:00) in the clinic's time zone, every booked appointment of tomorrow (the
clinic's tomorrow: a day of 23 or 25 hours when the clocks change) that has not been reminded is
claimed and its family (the child's guardians and the teen's own account) get
`appointment_tomorrow`: that there is an appointment, never what, where or with whom. One
message per person however many of their children have one tomorrow. An appointment booked
after 17:00 for tomorrow is reminded by the next sweep; one booked for today is not.

Sent once: appointments are claimed in batches (rows locked with SKIP LOCKED, so two workers
never claim the same one) by setting `reminded_at`; moving an appointment or booking it again
clears it. If every channel of every one of its family refused, it goes back for the next sweep.

Quiet hours, as the diary's reminders keep them: an appointment whose family has someone in
quiet hours that end later today waits for them to end (the others hear with them then, once);
someone whose quiet hours run past midnight is not woken and not reminded (the message says
"tomorrow", so it cannot wait for the morning).
"""

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from backto.access.accounts.models import Clinic, User
from backto.capabilities.appointments.models import Appointment, AppointmentStatus
from backto.capabilities.appointments.queries import family_member_ids, span
from backto.capabilities.notifications.channels import Notice, notify_many, settings_for
from backto.capabilities.notifications.messages import appointment_tomorrow

REMIND_AT = time(17, 0)
BATCH = 200
log = logging.getLogger(__name__)


def send_appointment_reminders(now: datetime | None = None) -> int:
    """Send the reminders due by `now` in every clinic's time zone. Returns how many people
    were reached (by at least one channel)."""
    now = now or timezone.now()
    zones = Clinic.objects.values_list("time_zone", flat=True).distinct()
    return sum(_send_in(zone, now) for zone in zones)


def _send_in(zone_name: str, now: datetime) -> int:
    zone = ZoneInfo(zone_name)
    local_now = timezone.localtime(now, zone)
    if local_now.time() < REMIND_AT:
        return 0
    start, end = span(local_now.date() + timedelta(days=1), 1, zone)
    reached = 0
    skipped: set[int] = set()  # waiting for quiet hours, or refused: not again in this sweep
    while True:
        with transaction.atomic():
            batch = list(
                Appointment.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    patient__clinic__time_zone=zone_name,
                    status=AppointmentStatus.BOOKED,
                    reminded_at__isnull=True,
                    starts_at__gte=start,
                    starts_at__lt=end,
                )
                .exclude(pk__in=skipped)
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return reached
            family = family_member_ids(a.patient_id for a in batch)
            choices = settings_for({u for members in family.values() for u in members})
            quiet_now = {u for u, c in choices.items() if c.in_quiet_hours(local_now.time())}
            # Quiet hours that end before midnight: wait for them; past it: leave that person out.
            ending_today = {u for u in quiet_now if choices[u].quiet_from < choices[u].quiet_until}
            waiting = [a for a in batch if family[a.patient_id] & ending_today]
            skipped |= {a.pk for a in waiting}
            claimed = [a for a in batch if a not in waiting]
            if not claimed:
                continue
            Appointment.objects.filter(pk__in=[a.pk for a in claimed]).update(reminded_at=now)
            to_tell: dict[int, list[int]] = defaultdict(list)  # person -> their appointments
            for appointment in claimed:
                for user_id in family[appointment.patient_id] - quiet_now:
                    to_tell[user_id].append(appointment.pk)
            users = {u.pk: u for u in User.objects.filter(pk__in=to_tell, is_active=True)}
        url = reverse("family_week")
        people = [u for u in to_tell if u in users]
        deliveries = notify_many(
            [Notice(users[u], appointment_tomorrow(url, teen=users[u].is_teen)) for u in people],
            choices=choices,
        )
        told: set[int] = set()
        refused: set[int] = set()
        for user_id, delivery in zip(people, deliveries, strict=True):
            if delivery.reached:
                reached += 1
                told.update(to_tell[user_id])
            elif delivery.held_back:
                refused.update(to_tell[user_id])
        again = refused - told  # nobody of its family reached, and some channel refused
        if again:
            log.warning("appointment reminders not sent, tried again later: %s", sorted(again))
            skipped |= again
            Appointment.objects.filter(pk__in=again, reminded_at=now).update(reminded_at=None)


@task()
def send_appointment_reminders_task() -> int:
    return send_appointment_reminders()
