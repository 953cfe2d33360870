"""Conversations for the demo clinic (backto demo): one answered, one waiting since this morning,
one assigned to the OT, a teen's private question, the clinic's canned replies and reply time.

Messages are written at plausible moments of the last two days rather than at the moment the
demo is built, so they are made here directly (each with its audit event) instead of through
message_send, which would also tell the demo's people by email and push."""

import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from backto.access.accounts.models import Clinic, User
from backto.access.patients.models import Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.messaging.models import (
    CannedReply,
    Conversation,
    ConversationKind,
    Message,
    MessagingSettings,
    ReadMark,
)

CANNED = [
    (
        "Swelling after exercise",
        "Thank you for letting us know. A little puffiness after a longer walk is common and "
        "settles with rest. Keep going with the program, at the same dose, and tell us if it "
        "is red, hot, or still swollen in the morning.",
    ),
    (
        "Missing a day of exercises",
        "One missed day does not undo the progress. Start again tomorrow at the usual dose: no "
        "need to make up for it.",
    ),
    (
        "School note",
        "We can write to the school. Tell us what the school asked for and we will send a "
        "letter within two working days.",
    ),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _say(
    conversation: Conversation,
    author: User,
    body: str,
    at: datetime,
    **fields: object,
) -> Message:
    at = min(at, timezone.now())  # a demo built early in the morning has no message to come
    message = Message.objects.create(
        conversation=conversation,
        author=author,
        from_family=not author.is_staff_member,
        body=body,
        idempotency_key=uuid.uuid4(),
        **fields,
    )
    Message.objects.filter(pk=message.pk).update(created_at=at)
    message.created_at = at
    audit(by=author, action=Action.CREATE, obj=message, patient_id=conversation.patient_id)
    ReadMark.objects.update_or_create(
        conversation=conversation, user=author, defaults={"read_up_to": at}
    )
    return message


def _keep(conversation: Conversation) -> None:
    """The conversation's last message, wait and assignee, from its messages."""
    messages = list(conversation.messages.order_by("created_at", "id"))
    waiting = [m for m in messages if m.from_family and m.done_at is None]
    conversation.last_message_at = messages[-1].created_at if messages else None
    conversation.waiting_since = waiting[0].created_at if waiting else None
    conversation.assigned_to_id = next(
        (m.assigned_to_id for m in waiting if m.assigned_to_id), None
    )
    conversation.save()


def add_demo_messages(*, clinic: Clinic, today: date) -> None:
    """Conversations for the demo's first children in a program, and the clinic's canned
    replies. Does nothing for a child without a guardian or a care team."""
    staff = {u.username: u for u in User.objects.filter(clinic=clinic, kind="staff")}
    pt, ot = staff.get("demo-pt"), staff.get("demo-ot")
    coordinator = staff.get("demo-coordinator")
    if pt is None or ot is None or coordinator is None:
        return
    MessagingSettings.objects.update_or_create(
        clinic=clinic,
        defaults={
            "reply_time": "We reply within 1 working day (Monday to Friday).",
            "changed_by": coordinator,
        },
    )
    for title, body in CANNED:
        CannedReply.objects.get_or_create(
            clinic=clinic, title=title, defaults={"body": body, "changed_by": coordinator}
        )
    children = list(
        Patient.objects.filter(
            clinic=clinic, episodes__care_team__clinician=pt, guardianships__isnull=False
        )
        .distinct()
        .order_by("pk")
    )
    yesterday = today - timedelta(days=1)
    scripts = [_answered, _waiting, _assigned]
    for child, script in zip(children, scripts, strict=False):
        parent = child.guardianships.select_related("guardian").first()
        assert parent is not None
        conversation, _ = Conversation.objects.get_or_create(
            patient=child, kind=ConversationKind.FAMILY
        )
        script(conversation, parent.guardian, pt, ot, today, yesterday)
        _keep(conversation)
    teen_child = next((c for c in children if c.teen_account_id is not None), None)
    if teen_child is not None and teen_child.teen_account is not None:
        private, _ = Conversation.objects.get_or_create(
            patient=teen_child, kind=ConversationKind.TEEN
        )
        _say(
            private,
            teen_child.teen_account,
            "Can I ask something without my mom seeing? I get really nervous before PE and "
            "I don't know if I should tell the teacher about the program.",
            _at(yesterday, 21, 5),
        )
        _keep(private)


def _answered(
    conversation: Conversation, parent: User, pt: User, ot: User, today: date, yesterday: date
) -> None:
    question = _say(
        conversation,
        parent,
        "Her ankle looked a bit puffy after the walk tonight. Should we still do the full walk "
        "tomorrow?",
        _at(yesterday, 19, 10),
    )
    _say(
        conversation,
        pt,
        "Thank you for telling us. A little puffiness after a longer walk is common. Keep the "
        "same walk tomorrow, and tell us if it is red or hot in the morning.",
        _at(today, 8, 40),
    )
    done = min(_at(today, 8, 41), timezone.now())
    Message.objects.filter(pk=question.pk).update(done_at=done, done_by=pt)


def _waiting(
    conversation: Conversation, parent: User, pt: User, ot: User, today: date, yesterday: date
) -> None:
    _say(
        conversation,
        parent,
        "He has a swimming trip with school on Friday. Is swimming OK during the program?",
        _at(today, 7, 55),
    )


def _assigned(
    conversation: Conversation, parent: User, pt: User, ot: User, today: date, yesterday: date
) -> None:
    _say(
        conversation,
        parent,
        "The school asked for a note about using the lift and leaving class five minutes "
        "early. Can you send one?",
        _at(yesterday, 15, 20),
        assigned_to=ot,
    )
