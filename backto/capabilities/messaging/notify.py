"""Telling people that a message waits for them, never what it says.

A care team member's reply tells the family members of that conversation (the child's guardians
and the teen for the family's conversation; the teen alone for the teen's own), each by the
channels they chose (push, SMS, email: notifications.channels). A family's message tells the
child's care team (the latest episode's) by their StaffMessagePreference: an email for each
message (the default), or nothing now (the daily digest, messaging.digest, or nothing at all).

A notification says only that there is a message and links to the conversation by its id: no
words, no child's name, no photo, on a lock screen or in an inbox (notifications.messages). It
is in its reader's language (User.language), a family member's or a team member's.

The sending is background work (a django-tasks task, like the safety alert's email), queued when
the message's transaction commits, so a slow mail server never slows the send.

A family member's quiet hours (their Reminders page: 21:00 to 07:00 unless changed, in the
clinic's time zone) hold a care team's message too: theirs waits for the end of the quiet hours
(a task run then), and is dropped if they have read the message meanwhile or it was withdrawn.
A task backend that cannot run a task later (the test suite's) sends it at once.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.models import CareTeamMember
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.messaging.models import (
    ConversationKind,
    Message,
    ReadMark,
    StaffDelivery,
    StaffMessagePreference,
)
from backto.capabilities.notifications.channels import (
    Email,
    Notice,
    notify,
    notify_many,
    settings_for,
)
from backto.capabilities.notifications.messages import care_team_message, family_message_waiting
from backto.capabilities.notifications.models import NotificationSettings

# Who chooses how they hear of families' messages: whoever handles them (the care team's
# clinicians and the coordinators).
PREFERENCE = Permission.MESSAGE_TRIAGE


def tell_about(message_id: int) -> None:
    """Queue the notifications of a message just sent. Called by message_send on commit
    (`transaction.on_commit(lambda: notify.tell_about(message.pk))`); safe to call at any time:
    the task reads the message again and tells nobody of a message withdrawn meanwhile."""
    send_message_notices.enqueue(message_id)


@task()
def send_message_notices(message_id: int) -> int:
    """The task behind tell_about: returns how many people were reached now (those in their
    quiet hours are told when they end, by send_message_notice_later)."""
    message = (
        Message.objects.select_related("conversation__patient__clinic")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.withdrawn_at is not None:
        return 0
    if message.from_family:
        notices = staff_notices(message)
    else:
        notices = family_notices(message, timezone.now())
    return sum(1 for delivery in notify_many(notices) if delivery.reached)


@task()
def send_message_notice_later(message_id: int, user_id: int) -> int:
    """A care team's message to one family member whose quiet hours have ended: 1 if it reached
    them, 0 if it had been withdrawn or they had read it meanwhile."""
    message = Message.objects.filter(pk=message_id, withdrawn_at__isnull=True).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if message is None or user is None:
        return 0
    read = ReadMark.objects.filter(
        conversation_id=message.conversation_id, user=user, read_up_to__gte=message.created_at
    )
    if read.exists():
        return 0
    delivery = notify(user, care_team_message(conversation_url(message.conversation_id)))
    return 1 if delivery.reached else 0


def conversation_url(conversation_id: int) -> str:
    return reverse("conversation", args=[conversation_id])


def family_to_tell(message: Message) -> list[User]:
    """Who in the family hears of a care team's message: the teen (in both conversations) and,
    in the family's conversation only, the guardians; active accounts, never the author."""
    conversation = message.conversation
    patient = conversation.patient
    who = Q(pk=patient.teen_account_id) if patient.teen_account_id else Q(pk__in=[])
    if conversation.kind == ConversationKind.FAMILY:
        who |= Q(guardianships__patient_id=patient.pk)
    return list(User.objects.filter(who, is_active=True).exclude(pk=message.author_id).distinct())


def quiet_hours_end(choice: NotificationSettings, local: datetime) -> datetime:
    """The moment this person's quiet hours, which `local` (their clinic's time) falls in, end."""
    end = datetime.combine(local.date(), choice.quiet_until, tzinfo=local.tzinfo)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), choice.quiet_until, local.tzinfo)
    return end


def family_notices(message: Message, now: datetime) -> list[Notice]:
    """The notices to send now; for each family member in their quiet hours, a task queued for
    when they end instead."""
    people = family_to_tell(message)
    choices = settings_for(user.pk for user in people)
    local = timezone.localtime(now, ZoneInfo(message.conversation.patient.clinic.time_zone))
    later = send_message_notice_later.get_backend().supports_defer
    notice = care_team_message(conversation_url(message.conversation_id))
    found = []
    for user in people:
        choice = choices[user.pk]
        if later and choice.in_quiet_hours(local.time()):
            send_message_notice_later.using(run_after=quiet_hours_end(choice, local)).enqueue(
                message.pk, user.pk
            )
        else:
            found.append(Notice(user, notice))
    return found


def team_to_tell(message: Message) -> list[User]:
    """The care team members (of the child's latest episode) who asked for an email for each
    family message: those with no preference saved too (EACH is the default). Active accounts
    with an email."""
    episode = message.conversation.patient.episodes.first()
    if episode is None:
        return []
    members = CareTeamMember.objects.filter(episode=episode).values("clinician_id")
    quiet = StaffMessagePreference.objects.exclude(delivery=StaffDelivery.EACH).values("user_id")
    return list(
        User.objects.filter(pk__in=members, is_active=True)
        .exclude(email="")
        .exclude(pk__in=quiet)
        .exclude(pk=message.author_id)
        .order_by("pk")
    )


def staff_notices(message: Message) -> list[Notice]:
    url = conversation_url(message.conversation_id)
    notice = family_message_waiting(url)

    def email() -> Email:
        """Made by notify_many in each team member's language."""
        return Email(
            subject=family_message_waiting(url).title,
            body=render_to_string(
                "messaging/email/family_message.txt",
                {
                    "link": settings.SITE_URL + url,
                    "preferences": settings.SITE_URL + reverse("message_preferences"),
                },
            ),
        )

    return [Notice(user, notice, email) for user in team_to_tell(message)]


def delivery_of(user: User) -> StaffDelivery:
    """A team member's choice, EACH when they never made one."""
    found = (
        StaffMessagePreference.objects.filter(user=user).values_list("delivery", flat=True).first()
    )
    return StaffDelivery(found or StaffDelivery.EACH)


@transaction.atomic
def message_preference_set(*, by: User, delivery: StaffDelivery) -> StaffMessagePreference:
    """A team member's own choice of message emails (the only write of StaffMessagePreference
    besides the digest's mark of the day it was sent)."""
    if PREFERENCE not in by.permissions:
        raise PermissionDenied("Message emails are chosen by the care team.")
    preference, _ = StaffMessagePreference.objects.select_for_update().get_or_create(user=by)
    preference.delivery = delivery
    preference.save(update_fields=["delivery"])
    audit(by=by, action=Action.UPDATE, obj=preference, detail=f"delivery {delivery.value}")
    return preference
