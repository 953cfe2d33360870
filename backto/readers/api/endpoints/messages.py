"""A child's conversations with the care team, as the messages page shows them to the caller:
a teen's own conversation only to the teen and the child's care team."""

from typing import Any

from ninja import Router

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_patient_for
from backto.capabilities.messaging.models import Message
from backto.capabilities.messaging.queries import visible_conversations
from backto.readers.api.endpoints.records import PageQuery, audit_list
from backto.readers.api.pagination import page
from backto.readers.api.schemas import MessagePage

router = Router(tags=["Messages"])


@router.get("/patients/{int:patient_id}/messages", response=MessagePage, url_name="api_messages")
def message_list(
    request: AuthenticatedHttpRequest, patient_id: int, params: PageQuery
) -> dict[str, Any]:
    patient = get_patient_for(request, patient_id, Permission.MESSAGE_VIEW)
    conversations = visible_conversations(request.user).filter(patient=patient)
    messages = Message.objects.filter(conversation__in=conversations).select_related("conversation")
    rows, cursor = page(messages, cursor=params.cursor, limit=params.limit)
    audit_list(request, params, patient_id=patient.pk)
    return {
        "items": [
            {
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
            for m in rows
        ],
        "next_cursor": cursor,
    }
