"""The messages' parts of the dashboards (`backto.core.dashboard`): on the clinician's home, how
many conversations wait for a reply (and how many are assigned to the viewer); on the caseload,
a flag on each child with a conversation waiting; on a child's overview, the child's
conversations the viewer may open; on the family's home, a way to write to the care team, or
the news that the care team has written. Each is one query, however many children the page
shows; none says what a message says."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from backto.access.accounts.roles import Permission
from backto.access.patients.access import Reach, has_permission, reach_of, sees_teen_private
from backto.access.patients.models import CareTeamMember
from backto.capabilities.messaging.models import Conversation, ConversationKind, Message, ReadMark
from backto.capabilities.messaging.queries import (
    teen_conversations_visible,
    visible_conversations,
    with_unread,
)
from backto.core.dashboard import (
    CaseloadChild,
    CaseloadFlag,
    CaseloadSignal,
    ClinicianHome,
    FamilyHome,
    FamilyTodayItem,
    HomeNotice,
    OverviewCard,
    OverviewPage,
    dashboards,
)
from backto.core.fixed_sql import fixed_query

MESSAGE_WAITING = CaseloadFlag("message_waiting", "Message waiting", order=80)


@fixed_query
def _waiting(reach: Reach, everyone: bool, *, user_id: int, clinic_id: int) -> QuerySet[Any]:
    viewer = reach.stand_in(user_id, clinic_id)
    conversations = visible_conversations(viewer).filter(waiting_since__isnull=False)
    if not everyone:
        on_team = CareTeamMember.objects.filter(
            clinician_id=user_id, episode__patient_id=OuterRef("patient_id")
        )
        conversations = conversations.filter(Exists(on_team))
    mine = ExpressionWrapper(Q(assigned_to_id=user_id), output_field=BooleanField())
    return (
        conversations.order_by()
        .annotate(mine=mine)
        .values("mine")
        .annotate(n=Count("pk"))
        .values_list("mine", "n")
    )


def waiting_counts(viewer: Any, everyone: bool) -> tuple[int, int]:
    """(conversations waiting for a reply, of them assigned to the viewer) among those the
    viewer may open: of the children on their care teams, or of all the children they may see
    when they look at the whole clinic. One query."""
    counts = dict(
        _waiting(reach_of(viewer), everyone, user_id=viewer.pk, clinic_id=viewer.clinic_id)
    )
    return sum(counts.values()), counts.get(True, 0)


@dashboards.home_notices
def conversations_waiting(page: ClinicianHome) -> Iterable[HomeNotice]:
    if not has_permission(page.viewer, Permission.MESSAGE_TRIAGE):
        return []
    waiting, mine = waiting_counts(page.viewer, page.everyone)
    if not waiting:
        return []
    data = {"waiting": waiting, "mine": mine, "everyone": page.everyone}
    return [HomeNotice(40, "messaging/_dashboard_home.html", data)]


@fixed_query
def _waiting_children(
    reach: Reach, *, user_id: int, clinic_id: int, patient_ids: list[int]
) -> QuerySet[Any]:
    return (
        visible_conversations(reach.stand_in(user_id, clinic_id))
        .filter(patient_id__in=patient_ids, waiting_since__isnull=False)
        .values_list("patient_id", flat=True)
    )


@dashboards.caseload_signals(MESSAGE_WAITING)
def messages_waiting(
    children: Sequence[CaseloadChild], today: date, viewer: Any
) -> Mapping[int, CaseloadSignal]:
    """A conversation waiting for the care team's reply, among those the viewer may open (a
    teen's own: the care team only). One query."""
    if Permission.MESSAGE_VIEW not in viewer.permissions or not children:
        return {}
    waiting = set(
        _waiting_children(
            reach_of(viewer),
            user_id=viewer.pk,
            clinic_id=viewer.clinic_id,
            patient_ids=[c.patient_id for c in children],
        )
    )
    return {pid: CaseloadSignal(flags=(MESSAGE_WAITING.key,)) for pid in waiting}


@dashboards.overview_cards
def conversations(page: OverviewPage) -> Iterable[OverviewCard]:
    """The child's conversations the viewer may open, with what waits and what is unread, and
    a way to start one. Staff only: the family's own home shows theirs."""
    viewer, patient = page.viewer, page.patient
    if not viewer.is_staff_member or not has_permission(viewer, Permission.MESSAGE_VIEW, patient):
        return []
    found = list(
        with_unread(visible_conversations(viewer).filter(patient=patient), viewer)
        .select_related("assigned_to")
        .order_by("kind")
    )
    kinds = {c.kind for c in found}
    may_start = has_permission(viewer, Permission.MESSAGE_SEND, patient)
    startable = [
        kind
        for kind in (ConversationKind.FAMILY, ConversationKind.TEEN)
        if may_start
        and kind not in kinds
        and (kind == ConversationKind.FAMILY or _sees_teen_conversation(viewer, patient))
    ]
    data = {"conversations": found, "startable": startable}
    return [OverviewCard("program", 50, "messaging/_dashboard_overview.html", data)]


def _sees_teen_conversation(viewer: Any, patient: Any) -> bool:
    return patient.teen_account_id is not None and sees_teen_private(viewer, patient)


@fixed_query
def _team_wrote(
    reach: Reach, *, user_id: int, clinic_id: int, patient_ids: list[int]
) -> QuerySet[Any]:
    viewer = reach.stand_in(user_id, clinic_id)
    unread_reply = Message.objects.filter(
        conversation_id=OuterRef("pk"), from_family=False, withdrawn_at__isnull=True
    ).exclude(
        Exists(
            ReadMark.objects.filter(
                conversation_id=OuterRef("conversation_id"),
                user_id=user_id,
                read_up_to__gte=OuterRef("created_at"),
            )
        )
    )
    return (
        Conversation.objects.filter(patient_id__in=patient_ids)
        .filter(teen_conversations_visible(viewer))
        .filter(Exists(unread_reply))
        .order_by("kind", "pk")
        .values_list("patient_id", "pk", "kind")
    )


def team_wrote(viewer: Any, patient_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """For each child: the conversations (id, kind) this family member may open where the care
    team has written since they last read it. One query."""
    found: dict[int, list[tuple[int, str]]] = {}
    rows = _team_wrote(
        reach_of(viewer),
        user_id=viewer.pk,
        clinic_id=viewer.clinic_id,
        patient_ids=list(patient_ids),
    )
    for patient_id, pk, kind in rows:
        found.setdefault(patient_id, []).append((pk, kind))
    return found


@dashboards.family_today
def write_to_the_care_team(page: FamilyHome) -> Mapping[int, Iterable[FamilyTodayItem]]:
    """Each child: the care team's new messages to read, or a way to write to them."""
    if Permission.MESSAGE_VIEW not in page.viewer.permissions or not page.children:
        return {}
    news = team_wrote(page.viewer, page.patient_ids)
    return {
        child.patient.pk: [
            FamilyTodayItem(
                "today",
                15,
                "messaging/_dashboard_family.html",
                {
                    "news": [
                        {"conversation_id": pk, "own": kind == ConversationKind.TEEN}
                        for pk, kind in news.get(child.patient.pk, [])
                    ]
                },
            )
        ]
        for child in page.children
    }
