"""The messaging actions: idempotent sends, withdrawal that keeps the words, assign and done that
keep the conversation's wait, read marks, canned replies (backto/capabilities/messaging/actions.py)."""

import uuid
from datetime import UTC, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from backto.access.accounts.models import User
from backto.access.patients.models import Patient
from backto.audit.models import Action, AuditEvent
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.messaging import actions
from backto.capabilities.messaging.models import Conversation, Message, MessagingSettings, ReadMark
from tests.conftest import PINNED_AT, audited
from tests.messaging.conftest import Send

pytestmark = pytest.mark.django_db


def test_a_family_message_is_stored_audited_and_waits(
    gina: User, family: Conversation, send: Send, clock: Any
) -> None:
    message = send(gina, family, "  Her ankle is swollen today  ")
    family.refresh_from_db()
    assert message.body == "Her ankle is swollen today"
    assert message.from_family and not message.safety_words
    # Compared in UTC: an aware time in the hour repeated when the clocks go back (the suite's
    # 01:30 run) never equals a time of another zone (PEP 495), even the same instant.
    assert family.last_message_at == message.created_at == PINNED_AT.astimezone(UTC)
    assert family.waiting_since == message.created_at
    assert ReadMark.objects.get(conversation=family, user=gina).read_up_to == message.created_at
    assert audited(Action.CREATE, object_type="message", object_id=str(message.pk))


def test_the_same_form_sent_twice_lands_once(gina: User, family: Conversation, send: Send) -> None:
    key = uuid.uuid4()
    first = send(gina, family, idempotency_key=key)
    again, created = actions.message_send(
        by=gina, conversation=family, body="Her ankle is swollen", idempotency_key=key
    )
    assert (again.pk, created) == (first.pk, False)
    assert Message.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="message", action=Action.CREATE).count() == 1


def test_a_key_used_by_someone_else_or_elsewhere_is_refused(
    gina: User, pat: User, family: Conversation, teen_conversation: Conversation, send: Send
) -> None:
    key = uuid.uuid4()
    send(gina, family, idempotency_key=key)
    with pytest.raises(PermissionDenied):
        actions.message_send(by=pat, conversation=family, body="Hello", idempotency_key=key)
    with pytest.raises(PermissionDenied):
        actions.message_send(
            by=gina, conversation=teen_conversation, body="Hello", idempotency_key=key
        )
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "words"),
    [("x" * 4001, "at most 4,000 characters; this one has 4,001"), ("   ", "Write a message")],
)
def test_bad_words_are_refused_naming_the_field_and_nothing_is_written(
    gina: User, family: Conversation, body: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.message_send(by=gina, conversation=family, body=body, idempotency_key=uuid.uuid4())
    assert words in " ".join(refused.value.message_dict["body"])
    family.refresh_from_db()
    assert (Message.objects.count(), family.last_message_at, family.waiting_since) == (
        0,
        None,
        None,
    )


def test_a_reply_leaves_the_question_waiting_until_marked_done(
    gina: User, pat: User, family: Conversation, send: Send, clock: Any
) -> None:
    question = send(gina, family)
    clock.shift(timedelta(hours=1))
    second = send(gina, family, "And it is warm")
    clock.shift(timedelta(hours=1))
    reply = send(pat, family, "Rest it tonight; we will look tomorrow.")
    family.refresh_from_db()
    assert not reply.from_family
    assert family.waiting_since == question.created_at
    assert family.last_message_at == reply.created_at
    actions.message_done(by=pat, message=question)
    family.refresh_from_db()
    assert family.waiting_since == second.created_at  # the next oldest still waits
    actions.message_done(by=pat, message=second)
    family.refresh_from_db()
    assert family.waiting_since is None
    question.refresh_from_db()
    assert question.done_by == pat and question.done_at is not None
    assert audited(Action.UPDATE, object_type="message", object_id=str(question.pk), detail="done")


def test_assigning_sets_the_conversations_assignee_from_the_oldest_waiting(
    gina: User, pat: User, phil: User, family: Conversation, send: Send, episode: Any, clock: Any
) -> None:
    from backto.access.patients import actions as patients

    patients.care_team_add(by=pat, episode=episode, clinician=phil, discipline="medicine")
    first = send(gina, family)
    clock.shift(timedelta(minutes=5))
    later = send(gina, family, "Also: school tomorrow?")
    actions.message_assign(by=pat, message=later, to=phil)
    family.refresh_from_db()
    assert family.assigned_to == phil
    actions.message_assign(by=pat, message=first, to=pat)
    family.refresh_from_db()
    assert family.assigned_to == pat  # the oldest waiting one's
    actions.message_done(by=pat, message=first)
    family.refresh_from_db()
    assert family.assigned_to == phil
    actions.message_assign(by=pat, message=later, to=None)
    family.refresh_from_db()
    assert family.assigned_to is None
    assert audited(Action.UPDATE, object_id=str(later.pk), detail=f"assigned to #{phil.pk}")
    assert audited(Action.UPDATE, object_id=str(later.pk), detail="unassigned")


def test_only_the_care_team_can_be_assigned_and_only_a_familys_waiting_message(
    gina: User, pat: User, olive: User, family: Conversation, send: Send
) -> None:
    question = send(gina, family)
    with pytest.raises(ValidationError) as refused:
        actions.message_assign(by=pat, message=question, to=olive)
    assert "care team" in refused.value.message_dict["to"][0]
    reply = send(pat, family, "Thanks")
    with pytest.raises(ValidationError):
        actions.message_assign(by=pat, message=reply, to=pat)
    with pytest.raises(ValidationError):
        actions.message_done(by=pat, message=reply)


def test_withdrawing_keeps_the_words_and_the_fact(
    gina: User, pat: User, family: Conversation, send: Send
) -> None:
    message = send(gina, family, "Sorry, wrong child")
    with pytest.raises(PermissionDenied):
        actions.message_withdraw(by=pat, message=message)
    actions.message_withdraw(by=gina, message=message)
    actions.message_withdraw(by=gina, message=message)  # again: nothing more
    message.refresh_from_db()
    family.refresh_from_db()
    assert message.body == "Sorry, wrong child"
    assert message.withdrawn_by == gina and message.withdrawn_at is not None
    assert family.waiting_since is None  # nothing the family asked waits now
    events = AuditEvent.objects.filter(object_type="message", object_id=str(message.pk))
    assert [e.detail for e in events.filter(action=Action.UPDATE)] == ["withdrawn"]
    assert not events.filter(action=Action.DELETE).exists()


def test_a_read_mark_moves_forward_only(gina: User, family: Conversation, send: Send) -> None:
    message = send(gina, family)
    earlier = message.created_at - timedelta(days=1)
    actions.conversation_read(by=gina, conversation=family, up_to=earlier)
    assert ReadMark.objects.get(user=gina).read_up_to == message.created_at
    later = message.created_at + timedelta(minutes=1)
    actions.conversation_read(by=gina, conversation=family, up_to=later)
    assert ReadMark.objects.get(user=gina).read_up_to == later


def test_one_conversation_per_child_and_kind(maya: Patient, gina: User) -> None:
    first = actions.conversation_for(patient=maya, kind="family", by=gina)
    assert actions.conversation_for(patient=maya, kind="family") == first
    assert Conversation.objects.count() == 1
    with pytest.raises(ValidationError):  # Maya has no teen account here
        actions.conversation_for(patient=maya, kind="teen")


def test_words_that_suggest_self_harm_raise_the_alert(
    gina: User, family: Conversation, send: Send
) -> None:
    message = send(gina, family, "She said she wants to kill herself")
    message.refresh_from_db()
    assert message.safety_words
    assert SafetyAlert.objects.filter(source_id=message.pk).exists()


def test_canned_replies_need_the_permission_and_a_unique_title(
    cora: User, pat: User, clinic: Any
) -> None:
    with pytest.raises(PermissionDenied):
        actions.canned_reply_save(by=pat, clinic=clinic, title="Ice", body="Use ice", active=True)
    reply = actions.canned_reply_save(
        by=cora, clinic=clinic, title="Swelling", body="Rest and elevate.", active=True
    )
    with pytest.raises(ValidationError) as refused:
        actions.canned_reply_save(by=cora, clinic=clinic, title="swelling", body="x", active=True)
    assert "already has a reply" in refused.value.message_dict["title"][0]
    changed = actions.canned_reply_save(
        by=cora, clinic=clinic, title="Swelling", body="Rest.", active=False, reply=reply
    )
    assert (changed.pk, changed.body, changed.active) == (reply.pk, "Rest.", False)
    assert audited(Action.CREATE, object_type="cannedreply")
    assert audited(Action.UPDATE, object_type="cannedreply", detail="inactive")


def test_the_reply_time_is_the_clinics_to_set(cora: User, pat: User, clinic: Any) -> None:
    with pytest.raises(PermissionDenied):
        actions.reply_time_set(by=pat, clinic=clinic, text="Soon")
    with pytest.raises(ValidationError) as refused:
        actions.reply_time_set(by=cora, clinic=clinic, text="x" * 201)
    assert "At most 200" in refused.value.message_dict["text"][0]
    actions.reply_time_set(by=cora, clinic=clinic, text="We reply within one working day.")
    assert MessagingSettings.objects.get(clinic=clinic).reply_time.startswith("We reply within one")
