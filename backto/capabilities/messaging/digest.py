"""The daily digest: one email a morning to each team member who chose it
(StaffMessagePreference DIGEST), saying how many conversations wait for a reply among the
children whose care team they are on, and how many of those are assigned to them. Never whose,
never what: a count and a link to the inbox.

A sweep (registered in MessagingConfig.ready; `backto reminders` queues it every few minutes)
sends it once a day per person, at DIGEST_AT in their clinic's time zone or at the first sweep
after it. Each batch is claimed in one transaction that locks the rows (SKIP LOCKED on
PostgreSQL: two workers never take the same person; on SQLite the IMMEDIATE transactions of
backto.settings run one claim after the other) and marks them sent today (`digest_sent_on`)
before anything is sent, so a second worker, or a second sweep the same day, sends nothing
again. Nothing waiting,
no email (the day is marked all the same).
"""

from collections import defaultdict
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from backto.access.accounts.models import Clinic
from backto.access.accounts.roles import Permission
from backto.access.patients.models import CareTeamMember
from backto.capabilities.messaging.models import (
    ConversationKind,
    StaffDelivery,
    StaffMessagePreference,
)
from backto.capabilities.notifications.channels import Email, Notice, notify_many
from backto.capabilities.notifications.messages import messages_digest

DIGEST_AT = time(8, 0)
BATCH = 200


@task()
def send_digests_task() -> int:
    return send_digests()


def send_digests(now: datetime | None = None) -> int:
    """Send every digest due by `now`. Returns how many people were emailed."""
    now = now or timezone.now()
    zones = Clinic.objects.values_list("time_zone", flat=True).distinct()
    return sum(_send_due_in(zone, timezone.localtime(now, ZoneInfo(zone))) for zone in zones)


def waiting_for(user_ids: list[int], teen_seers: set[int]) -> dict[int, tuple[int, int]]:
    """For each person: (conversations waiting for a reply, of them assigned to that person),
    among the children whose care team (any episode) they are on. A teen's own conversation
    counts only for those who may read it (`teen_seers`: TEEN_PRIVATE_VIEW on the team). One
    query."""
    conversation = "episode__patient__conversations"
    rows = (
        CareTeamMember.objects.filter(
            clinician_id__in=user_ids, **{f"{conversation}__waiting_since__isnull": False}
        )
        .values("clinician_id", f"{conversation}__kind")
        .annotate(
            waiting=Count(conversation, distinct=True),
            mine=Count(
                conversation,
                distinct=True,
                filter=Q(**{f"{conversation}__assigned_to_id": F("clinician_id")}),
            ),
        )
    )
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        user_id = row["clinician_id"]
        if row[f"{conversation}__kind"] == ConversationKind.TEEN and user_id not in teen_seers:
            continue
        found[user_id][0] += row["waiting"]
        found[user_id][1] += row["mine"]
    return {user_id: (n[0], n[1]) for user_id, n in found.items()}


def _send_due_in(zone: str, now: datetime) -> int:
    if now.time() < DIGEST_AT:
        return 0
    today = now.date()
    not_sent_today = Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today)
    inbox = settings.SITE_URL + reverse("messages_inbox")
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                StaffMessagePreference.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .prefetch_related("user__staff_roles")  # their permissions, for the teen's rule
                .filter(
                    not_sent_today,
                    delivery=StaffDelivery.DIGEST,
                    user__is_active=True,
                    user__clinic__time_zone=zone,
                )
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return sent
            StaffMessagePreference.objects.filter(pk__in=[p.pk for p in batch]).update(
                digest_sent_on=today
            )
            seers = {p.user_id for p in batch if Permission.TEEN_PRIVATE_VIEW in p.user.permissions}
            counts = waiting_for([p.user_id for p in batch], seers)
        notices = []
        for preference in batch:
            waiting, mine = counts.get(preference.user_id, (0, 0))
            if waiting and preference.user.email:
                notices.append(_notice(preference, waiting, mine, inbox))
        sent += sum(1 for delivery in notify_many(notices) if delivery.reached)


def _notice(preference: StaffMessagePreference, waiting: int, mine: int, inbox: str) -> Notice:
    url = reverse("messages_inbox")

    def email() -> Email:
        """Made by notify_many in the team member's language."""
        body = render_to_string(
            "messaging/email/digest.txt",
            {
                "waiting": waiting,
                "mine": mine,
                "link": inbox,
                "preferences": settings.SITE_URL + reverse("message_preferences"),
            },
        )
        return Email(messages_digest(waiting, url).title, body)

    return Notice(preference.user, messages_digest(waiting, url), email)
