"""Who may read which conversation, and the lists that show them.

The family's conversation is read by the child's guardians, the teen, and the staff who may read
the child's messages (message_view, in their circle). The teen's own conversation is read by the
teen and the child's care team only (`sees_teen_private`, the rule for a teen's private diary
answers): for anyone else, a guardian above all, it does not exist.

Every list here is a fixed number of queries whatever its length: unread is one comparison of a
read mark with the conversation's last message (an Exists), never a count over messages.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backto.access.accounts.models import ClinicText, User
from backto.access.accounts.roles import Permission, Scope
from backto.access.patients.access import CIRCLE_LINKS, deny, patients_for, sees_teen_private
from backto.access.patients.models import CareTeamMember, Patient
from backto.capabilities.messaging.models import (
    CannedReply,
    Conversation,
    ConversationKind,
    Message,
    MessagingSettings,
    ReadMark,
)
from backto.core.languages import reader_language

DEFAULT_REPLY_TIME = str(MessagingSettings._meta.get_field("reply_time").default)


def teen_conversation_hidden(
    request: HttpRequest,
    kind: str,
    patient: Patient,
    object_type: str,
    object_id: Any,
    permission: Permission,
) -> bool:
    """A teen's own conversation asked for by someone who may not know it exists: refused as
    not there (404, audited), before any read of it is audited. The pages and the JSON API."""
    if kind != ConversationKind.TEEN or sees_teen_private(request.user, patient):
        return False
    deny(
        request,
        status=404,
        object_type=object_type,
        object_id=object_id,
        patient_id=patient.pk,
        permission=permission,
    )
    return True


def teen_conversations_visible(user: Any) -> Q:
    """The condition on Conversation rows this person may know of, as far as the teen's rule
    goes (the circle is asked separately). The list form of `sees_teen_private`."""
    family = Q(kind=ConversationKind.FAMILY)
    if getattr(user, "is_teen", False):
        return family | Q(kind=ConversationKind.TEEN, patient__teen_account_id=user.pk)
    if Permission.TEEN_PRIVATE_VIEW not in getattr(user, "permissions", frozenset()):
        return family
    if {role.scope for role in user.roles} == {Scope.CARE_TEAM}:
        return Q()  # their circle is their care teams: every teen in it is on their team
    on_team = CareTeamMember.objects.filter(
        clinician_id=user.pk, episode__patient_id=OuterRef("patient_id")
    )
    return family | (Q(kind=ConversationKind.TEEN) & Q(Exists(on_team)))


def circle(user: Any) -> Q:
    """The Conversation rows of the children in this person's circle: `patients_for` asked of
    the same rule (CIRCLE_LINKS), written as `patient_id IN (the person's links)` so that a
    list of ten thousand conversations reads the person's links once instead of asking an
    EXISTS per child."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    scopes = {role.scope for role in user.roles}
    in_clinic = Q(patient__clinic_id=user.clinic_id)
    if Scope.CLINIC in scopes:
        return in_clinic
    linked = Q(pk__in=[])
    for scope in scopes:
        model, person, child = CIRCLE_LINKS[scope]
        rows = model._default_manager.filter(**{person: user.pk}).values(child)
        linked |= Q(patient_id__in=rows)
    return in_clinic & linked


def visible_conversations(user: Any) -> QuerySet[Conversation]:
    """The conversations this person may open: their circle's children, the teen's rule."""
    return Conversation.objects.filter(circle(user)).filter(teen_conversations_visible(user))


def with_unread(conversations: QuerySet[Conversation], user: Any) -> QuerySet[Conversation]:
    """Each conversation with `unread`: a message after this person's read mark."""
    read = ReadMark.objects.filter(
        conversation_id=OuterRef("pk"), user_id=user.pk, read_up_to__gte=OuterRef("last_message_at")
    )
    return conversations.annotate(
        unread=ExpressionWrapper(
            Q(last_message_at__isnull=False) & ~Exists(read), output_field=BooleanField()
        )
    )


class Show:
    WAITING = "waiting"
    MINE = "mine"
    ALL = "all"
    CHOICES = [
        (WAITING, gettext_lazy("Waiting for a reply")),
        (MINE, gettext_lazy("Assigned to me")),
        (ALL, gettext_lazy("All conversations")),
    ]


def inbox(user: User, *, show: str) -> QuerySet[Conversation]:
    """The staff inbox: the conversations of the children this person may see, unread first,
    then the most recent; `show` narrows it to those waiting, or assigned to this person."""
    conversations = visible_conversations(user).filter(last_message_at__isnull=False)
    if show == Show.WAITING:
        conversations = conversations.filter(waiting_since__isnull=False)
    elif show == Show.MINE:
        conversations = conversations.filter(assigned_to_id=user.pk)
    return (
        with_unread(conversations, user)
        .select_related("patient", "assigned_to")
        .order_by(F("unread").desc(), F("last_message_at").desc(nulls_last=True), "-id")
    )


@dataclass(frozen=True)
class FamilyRow:
    """One conversation a family member may start or open: a child's family conversation, or
    (for the teen) their own."""

    patient: Patient
    kind: str
    conversation: Conversation | None

    @property
    def unread(self) -> bool:
        return bool(self.conversation is not None and getattr(self.conversation, "unread", False))


def family_rows(user: User) -> list[FamilyRow]:
    """A guardian's: each child's family conversation; a teen's: the family one and their own.
    Two queries, however many children."""
    children = list(patients_for(user).order_by("legal_name", "id"))
    found = {
        (c.patient_id, c.kind): c
        for c in with_unread(
            Conversation.objects.filter(patient__in=children).filter(
                teen_conversations_visible(user)
            ),
            user,
        )
    }
    kinds = [ConversationKind.FAMILY]
    if user.is_teen:
        kinds.append(ConversationKind.TEEN)
    return [
        FamilyRow(patient=child, kind=kind, conversation=found.get((child.pk, kind)))
        for child in children
        for kind in kinds
        if kind == ConversationKind.FAMILY or child.teen_account_id == user.pk
    ]


def thread(conversation: Conversation) -> QuerySet[Message]:
    """The conversation's messages, oldest first, with the people they name (one query)."""
    return conversation.messages.select_related(
        "author", "withdrawn_by", "assigned_to", "done_by"
    ).order_by("created_at", "id")


def care_team(patient: Patient) -> list[User]:
    """Who a family's message may be assigned to: the child's care team (any episode), active."""
    return list(
        User.objects.filter(
            pk__in=CareTeamMember.objects.filter(episode__patient=patient).values("clinician_id"),
            is_active=True,
        ).order_by("display_name", "username")
    )


def reply_time(clinic: Any) -> ClinicText:
    """What the clinic promises families about replies: the default in the reader's language
    when the clinic has not changed it, else its own words as written (in English: marked so for
    a reader of another language)."""
    text = (
        MessagingSettings.objects.filter(clinic=clinic).values_list("reply_time", flat=True).first()
        if clinic is not None
        else None
    )
    if not text or text == DEFAULT_REPLY_TIME:
        return ClinicText(_("We reply within 2 working days."))
    return ClinicText(text, "" if reader_language() == "en" else "en")


def canned_replies(
    clinic: Any, *, active_only: bool = True, language_first: str = ""
) -> QuerySet[CannedReply]:
    """The clinic's canned replies by title; those written in `language_first` (the family's)
    before the others."""
    replies = CannedReply.objects.filter(clinic=clinic)
    if language_first:
        replies = replies.annotate(
            other_language=Case(When(language=language_first, then=0), default=1)
        ).order_by("other_language", "title", "id")
    return replies.filter(active=True) if active_only else replies


def teen_events_kept_from(user: Any, patient: Patient) -> Q:
    """Audit events a person may not see on a child's access log because they are about the
    teen's own conversation (its reads, its messages, the teen opening it before its first
    message, refusals of it), for whoever may not know it exists. An AuditEvent condition;
    matches nothing for those who may."""
    if sees_teen_private(user, patient):
        return Q(pk__in=[])
    opened = Q(object_type="patient", detail__startswith="conversation_start kind=teen")
    conversation = Conversation.objects.filter(patient=patient, kind=ConversationKind.TEEN).first()
    if conversation is None:
        return opened
    # The conversation's message ids as text (AuditEvent.object_id), in the database: the
    # condition stays the same size however many messages it holds.
    message_ids = conversation.messages.annotate(
        as_text=Cast("pk", output_field=CharField())
    ).values("as_text")
    return (
        opened
        | Q(object_type="conversation", object_id=str(conversation.pk))
        | Q(object_type="message", object_id__in=message_ids)
    )
