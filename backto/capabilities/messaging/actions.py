"""Writing conversations: every write in one transaction with its audit event.

A message is never deleted. Its author may withdraw it: the words stay in the database and the
audit keeps that it was withdrawn, by whom and when. A family's message waits for the care team
until a team member marks it done (a reply does not end the wait: the team decides when a
question is answered); `Conversation.waiting_since` and `assigned_to` are kept from the messages
so the inbox reads one table.
"""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backto.access.accounts.models import Clinic, User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.models import CareTeamMember, Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.messaging import notify, safety
from backto.capabilities.messaging.models import (
    CannedReply,
    Conversation,
    ConversationKind,
    Message,
    MessagingSettings,
    ReadMark,
)
from backto.capabilities.messaging.photos import photo_prepare
from backto.core.languages import grouped

BODY_MAX = 4000
TITLE_MAX = 80
REPLY_TIME_MAX = 200


def conversation_for(*, patient: Patient, kind: str, by: User | None = None) -> Conversation:
    """The child's conversation of this kind, made the first time it is needed. Two first
    messages at once make one conversation (the database's unique constraint decides)."""
    if kind not in ConversationKind.values:
        raise ValidationError({"kind": "A conversation is the family's or the teen's own."})
    if kind == ConversationKind.TEEN and patient.teen_account_id is None:
        raise ValidationError({"kind": "This child has no teen account of their own."})
    found = Conversation.objects.filter(patient=patient, kind=kind).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(patient=patient, kind=kind)
            if by is not None:
                audit(by=by, action=Action.CREATE, obj=conversation, patient_id=patient.pk)
            return conversation
    except IntegrityError:
        return Conversation.objects.get(patient=patient, kind=kind)


def _checked_body(body: str, photo: Any) -> str:
    body = body.strip()
    if len(body) > BODY_MAX:
        raise ValidationError(
            {
                "body": _("A message is at most %(most)s characters; this one has %(has)s.")
                % {"most": grouped(BODY_MAX), "has": grouped(len(body))}
            }
        )
    if not body and not photo:
        raise ValidationError({"body": _("Write a message or add a photo.")})
    return body


def _replay(by: User, conversation: Conversation, key: uuid.UUID) -> Message | None:
    """The message this form already sent, or None; a key another person or conversation used
    is refused (a form is sent by the one who opened it, to where it was opened)."""
    stored = Message.objects.filter(idempotency_key=key).first()
    if stored is None:
        return None
    if stored.author_id != by.pk or stored.conversation_id != conversation.pk:
        raise PermissionDenied("That form belongs to someone else.")
    return stored


def message_send(
    *,
    by: User,
    conversation: Conversation,
    body: str,
    photo: Any = None,
    idempotency_key: uuid.UUID,
    canned_reply: CannedReply | None = None,
) -> tuple[Message, bool]:
    """Send a message: (the message, True), or (the message stored before, False) when this
    form was sent already (the same idempotency key: a retry on a flaky connection).

    Words that suggest self-harm raise the safety alert in the same transaction (M2's
    `safety.raise_alert_if_needed`); the people to tell are told after it commits."""
    replay = _replay(by, conversation, idempotency_key)
    if replay is not None:
        return replay, False
    body = _checked_body(body, photo)
    if canned_reply is not None and (
        not by.is_staff_member or canned_reply.clinic_id != conversation.patient.clinic_id
    ):
        raise ValidationError({"canned_reply": "That canned reply is not one of this clinic's."})
    prepared = photo_prepare(photo) if photo else None  # the slow part, outside the transaction
    message = Message(
        conversation=conversation,
        author=by,
        from_family=not by.is_staff_member,
        body=body,
        idempotency_key=idempotency_key,
        canned_reply=canned_reply,
    )
    if prepared is not None:
        message.photo.save(prepared.name or "photo.jpg", prepared, save=False)
    try:
        with transaction.atomic():
            Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
            message.save(force_insert=True)
            _after_send(by, conversation, message)
            audit(
                by=by,
                action=Action.CREATE,
                obj=message,
                patient_id=conversation.patient_id,
                detail=" ".join(
                    word
                    for word, present in (("photo", prepared), ("canned", canned_reply))
                    if present is not None
                ),
            )
            if safety.raise_alert_if_needed(by=by, message=message):
                message.safety_words = True
            message_id = message.pk
            transaction.on_commit(lambda: notify.tell_about(message_id))
    except IntegrityError:
        # The same form arrived twice at once: the other request stored it.
        if message.photo:
            message.photo.delete(save=False)
        replay = _replay(by, conversation, idempotency_key)
        if replay is None:
            raise
        return replay, False
    except BaseException:
        if message.photo:
            message.photo.delete(save=False)
        raise
    return message, True


def _after_send(by: User, conversation: Conversation, message: Message) -> None:
    """The conversation's last message and wait, and the sender's own read mark."""
    sent = message.created_at
    conversation.last_message_at = sent
    fields = ["last_message_at"]
    if message.from_family:
        waiting = Conversation.objects.filter(pk=conversation.pk).values_list(
            "waiting_since", flat=True
        )
        conversation.waiting_since = waiting.get() or sent
        fields.append("waiting_since")
    conversation.save(update_fields=fields)
    _read_mark(by, conversation, sent)


def _read_mark(by: User, conversation: Conversation, up_to: Any) -> None:
    """Move this person's read mark on to `up_to`. Reading a thread already read (the common
    case) is one small SELECT and no write: a write on SQLite takes the database's lock."""
    marks = ReadMark.objects.filter(conversation=conversation, user=by)
    current = marks.values_list("read_up_to", flat=True).first()
    if current is None:
        try:
            with transaction.atomic():
                ReadMark.objects.create(conversation=conversation, user=by, read_up_to=up_to)
            return
        except IntegrityError:
            pass  # made at the same moment by another request of the same person
    elif current >= up_to:
        return
    marks.filter(read_up_to__lt=up_to).update(read_up_to=up_to)


def conversation_read(*, by: User, conversation: Conversation, up_to: Any) -> None:
    """The person has read the conversation up to this moment (a read mark only moves on).
    Not an event of its own: the page that showed the messages is audited as a read of the
    conversation, and this only remembers where the reader got to."""
    if up_to is None:
        return
    _read_mark(by, conversation, up_to)


def _refresh_wait(conversation: Conversation) -> None:
    """Conversation.waiting_since from the oldest family message not yet done (nor withdrawn
    by its author), and assigned_to from the oldest such message that has an assignee."""
    waiting = Message.objects.filter(
        conversation_id=conversation.pk,
        from_family=True,
        done_at__isnull=True,
        withdrawn_at__isnull=True,
    ).order_by("created_at", "id")
    conversation.waiting_since = waiting.values_list("created_at", flat=True).first()
    conversation.assigned_to_id = (
        waiting.filter(assigned_to__isnull=False).values_list("assigned_to_id", flat=True).first()
    )
    conversation.save(update_fields=["waiting_since", "assigned_to"])


@transaction.atomic
def message_withdraw(*, by: User, message: Message) -> Message:
    """The author takes their message back. Its words stay (the record and the audit keep
    them); everyone sees that it was withdrawn, and only the care team's triage can still read
    it. Withdrawn again: nothing changes."""
    if message.author_id != by.pk:
        raise PermissionDenied("Only its author can withdraw a message.")
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.withdrawn_at is not None:
        return message
    message.withdrawn_at = timezone.now()
    message.withdrawn_by = by
    message.save(update_fields=["withdrawn_at", "withdrawn_by"])
    conversation = message.conversation
    if message.from_family:
        _refresh_wait(conversation)
    audit(
        by=by,
        action=Action.UPDATE,
        obj=message,
        patient_id=conversation.patient_id,
        detail="withdrawn",
    )
    return message


def _waiting_message(message: Message) -> Message:
    message = Message.objects.select_for_update().select_related("conversation").get(pk=message.pk)
    if not message.from_family:
        raise ValidationError("Only a family's message waits for the care team.")
    if message.withdrawn_at is not None:
        raise ValidationError("This message was withdrawn by its author: nothing waits.")
    return message


@transaction.atomic
def message_assign(*, by: User, message: Message, to: User | None) -> Message:
    """Give a family's message to a member of the child's care team (None: to nobody)."""
    message = _waiting_message(message)
    conversation = message.conversation
    if message.done_at is not None:
        raise ValidationError("This message is already done: there is nothing to assign.")
    if (
        to is not None
        and not CareTeamMember.objects.filter(
            clinician=to, episode__patient_id=conversation.patient_id, clinician__is_active=True
        ).exists()
    ):
        raise ValidationError({"to": "Choose a member of the child's care team."})
    message.assigned_to = to
    message.save(update_fields=["assigned_to"])
    _refresh_wait(conversation)
    audit(
        by=by,
        action=Action.UPDATE,
        obj=message,
        patient_id=conversation.patient_id,
        detail=f"assigned to #{to.pk}" if to is not None else "unassigned",
    )
    return message


@transaction.atomic
def message_done(*, by: User, message: Message) -> Message:
    """The care team has dealt with a family's message: it no longer waits. Done again:
    nothing changes."""
    message = _waiting_message(message)
    if message.done_at is not None:
        return message
    message.done_at = timezone.now()
    message.done_by = by
    message.save(update_fields=["done_at", "done_by"])
    _refresh_wait(message.conversation)
    audit(
        by=by,
        action=Action.UPDATE,
        obj=message,
        patient_id=message.conversation.patient_id,
        detail="done",
    )
    return message


def _may_edit(by: User, clinic: Clinic) -> None:
    if by.clinic_id != clinic.pk or not has_permission(by, Permission.CANNED_REPLIES_EDIT):
        raise PermissionDenied("Your role does not allow this.")


@transaction.atomic
def canned_reply_save(
    *,
    by: User,
    clinic: Clinic,
    title: str,
    body: str,
    active: bool,
    reply: CannedReply | None = None,
    language: str = "en",
) -> CannedReply:
    """Add a canned reply to the clinic's list (reply None) or change one; `language` is the
    one it is written in (a title is the clinic's once per language)."""
    _may_edit(by, clinic)
    title, body = title.strip(), body.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Give the reply a short title, e.g. “Swelling after exercise”."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"A title is at most {TITLE_MAX} characters; this one has {len(title)}."
    if not body:
        errors["body"] = "Write the reply's words."
    elif len(body) > BODY_MAX:
        errors["body"] = f"A reply is at most {BODY_MAX:,} characters; this one has {len(body):,}."
    if reply is not None and reply.clinic_id != clinic.pk:
        raise PermissionDenied("That reply is another clinic's.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of BackTo's languages.")
    twin = CannedReply.objects.filter(clinic=clinic, language=language, title__iexact=title)
    if reply is not None:
        twin = twin.exclude(pk=reply.pk)
    if title and twin.exists():
        errors["title"] = f"The clinic already has a reply called “{title}”: choose another title."
    if errors:
        raise ValidationError(errors)
    created = reply is None
    reply = reply or CannedReply(clinic=clinic)
    reply.title, reply.body, reply.active, reply.changed_by = title, body, active, by
    reply.language = language
    reply.save()
    audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        obj=reply,
        detail="" if active else "inactive",
    )
    return reply


@transaction.atomic
def reply_time_set(*, by: User, clinic: Clinic, text: str) -> MessagingSettings:
    """The clinic's promise of how soon it replies, shown above every conversation."""
    _may_edit(by, clinic)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Say how soon families can expect a reply."})
    if len(text) > REPLY_TIME_MAX:
        raise ValidationError(
            {"text": f"At most {REPLY_TIME_MAX} characters; this has {len(text)}."}
        )
    found, _created = MessagingSettings.objects.update_or_create(
        clinic=clinic, defaults={"reply_time": text, "changed_by": by}
    )
    audit(by=by, action=Action.UPDATE, obj=found)
    return found
