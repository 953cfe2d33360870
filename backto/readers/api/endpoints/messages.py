"""A child's conversations with the care team, as the messages page shows them to the caller:
a teen's own conversation only to the teen and the child's care team. A message is sent through
the page's own action: the same length rule, safety words, notifications and idempotency key."""

from typing import Any

from django.db import transaction
from django.http import Http404
from ninja import Router, Status

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_patient_for
from backto.access.patients.models import Patient
from backto.capabilities.alerts.help import HelpMessage
from backto.capabilities.messaging.actions import conversation_for, message_send
from backto.capabilities.messaging.models import ConversationKind, Message
from backto.capabilities.messaging.queries import (
    teen_conversation_hidden,
    visible_conversations,
)
from backto.readers.api.bodies import body_of, read_body
from backto.readers.api.endpoints.records import PageQuery, audit_list
from backto.readers.api.pagination import page
from backto.readers.api.schemas import MessageIn, MessagePage, MessageSent

router = Router(tags=["Messages"])


def message_out(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "conversation_id": m.conversation_id,
        "conversation_kind": m.conversation.kind,
        "from_family": m.from_family,
        "author_id": m.author_id,
        "body": "" if m.withdrawn_at else m.body,
        "has_photo": bool(m.photo) and not m.withdrawn_at,
        "created_at": m.created_at,
        "withdrawn": m.withdrawn_at is not None,
    }


@router.get("/patients/{int:patient_id}/messages", response=MessagePage, url_name="api_messages")
def message_list(
    request: AuthenticatedHttpRequest, patient_id: int, params: PageQuery
) -> dict[str, Any]:
    patient = get_patient_for(request, patient_id, Permission.MESSAGE_VIEW)
    conversations = visible_conversations(request.user).filter(patient=patient)
    messages = Message.objects.filter(conversation__in=conversations).select_related("conversation")
    rows, cursor = page(messages, cursor=params.cursor, limit=params.limit)
    audit_list(request, params, patient_id=patient.pk)
    return {"items": [message_out(m) for m in rows], "next_cursor": cursor}


@router.post(
    "/patients/{int:patient_id}/conversations/{kind}/messages",
    response={200: MessageSent, 201: MessageSent},
    url_name="api_message_send",
    openapi_extra=body_of(MessageIn),
)
def message_create(request: AuthenticatedHttpRequest, patient_id: int, kind: str) -> Status:
    """Send a message in the child's `family` conversation (guardians, the teen, the care team)
    or the teen's own `teen` conversation (the teen and the care team; for anyone else it is not
    there, and a child without a teen account has none: 422 naming `kind`), started by its first
    message. 201 when sent; 200 when this very message (the same idempotency_key) was sent
    before. Words that suggest the writer may not be safe alert the care team, and the answer
    carries the clinic's help message with its numbers, to show at once."""
    if kind not in ConversationKind.values:
        raise Http404("No such conversation.")
    peek = Patient.objects.filter(pk=patient_id, clinic_id=request.user.clinic_id).first()
    if peek is not None and teen_conversation_hidden(
        request, kind, peek, "patient", patient_id, Permission.MESSAGE_SEND
    ):
        raise Http404("No such conversation.")
    patient = get_patient_for(
        request, patient_id, Permission.MESSAGE_VIEW, write=Permission.MESSAGE_SEND
    )
    body = read_body(request, MessageIn)
    with transaction.atomic():  # a refused first message starts no conversation
        conversation = conversation_for(patient=patient, kind=kind, by=request.user)
        message, created = message_send(
            by=request.user,
            conversation=conversation,
            body=body.body,
            idempotency_key=body.idempotency_key,
        )
    help_words = None
    if message.safety_words:
        clinic = patient.clinic
        help_words = {
            "words": str(HelpMessage(clinic=clinic)),
            "phone": clinic.phone,
            "hours": str(clinic.text_for_reader("hours")),
            "crisis_line": str(clinic.text_for_reader("crisis_line")),
        }
    answer = {
        "message": message_out(message),
        "outcome": "created" if created else "already",
        "help": help_words,
    }
    return Status(201 if created else 200, answer)
