"""A child's messages with the care team (Communication). The teen's own conversation follows
the teen's rule (messaging.queries.teen_conversations_visible): the care team and the teen
read it; anyone else does not learn it exists (a 404, as for a message that never was)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from fhir.resources.R4B.communication import Communication

from backto.access.accounts.roles import Permission
from backto.capabilities.messaging.models import Conversation, ConversationKind, Message
from backto.capabilities.messaging.queries import teen_conversations_visible
from backto.readers.fhir.checked import checked
from backto.readers.fhir.sources import Found, Source, Viewer, reference


def _person(message: Message, patient_id: int) -> dict[str, Any]:
    author = message.author
    if author.is_staff_member:
        return reference("Practitioner", author.pk)
    if author.is_teen:
        return reference("Patient", patient_id)
    return {"display": "Parent or guardian"}


class CommunicationSource(Source):
    resource_type = "Communication"
    model = Message
    patient_path = "conversation__patient"
    read = (Permission.MESSAGE_VIEW,)
    day_field = "created_at"
    day_is_moment = True

    def rows(self, viewer: Viewer) -> QuerySet[Any]:
        return Message.objects.select_related("conversation__patient", "author")

    def visible(self, viewer: Viewer, rows: QuerySet[Any]) -> QuerySet[Any]:
        known = Conversation.objects.filter(teen_conversations_visible(viewer.user))
        return rows.filter(conversation__in=known.values("pk"))

    def visible_row(self, viewer: Viewer, row: Any) -> bool:
        return (
            Conversation.objects.filter(pk=row.conversation_id)
            .filter(teen_conversations_visible(viewer.user))
            .exists()
        )

    def audit_type(self, row: Any) -> str:
        """A message of the teen's own conversation is audited as the messaging pages audit it
        (`message`), so that the access log keeps its reads and refusals from whoever may not
        know the conversation exists (messaging.queries.teen_events_kept_from)."""
        return "message" if row.conversation.kind == ConversationKind.TEEN else self.resource_type

    def build(self, rows: Sequence[Any], viewer: Viewer) -> list[Found]:
        found = []
        for message in rows:
            conversation = message.conversation
            patient_id = conversation.patient_id
            team = {"display": "Care team"}
            resource: dict[str, Any] = {
                "resourceType": "Communication",
                "id": str(message.pk),
                "status": "entered-in-error" if message.withdrawn_at else "completed",
                "category": [{"text": conversation.get_kind_display()}],
                "subject": reference("Patient", patient_id),
                "sent": message.created_at.isoformat(),
                "sender": _person(message, patient_id),
                "recipient": [team if message.from_family else {"display": "Family"}],
            }
            if not message.withdrawn_at:
                payload = []
                if message.body:
                    payload.append({"contentString": message.body})
                if message.photo:
                    payload.append(
                        {"contentAttachment": {"contentType": "image/jpeg", "title": "Photo"}}
                    )
                if payload:
                    resource["payload"] = payload
            checked(Communication, resource)
            found.append(Found(self.key(message), patient_id, resource))
        return found
