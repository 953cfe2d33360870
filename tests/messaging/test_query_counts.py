"""The inbox and a thread cost the same number of queries whatever they show."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.accounts.models import User
from backto.access.patients.models import Patient
from backto.capabilities.messaging.models import Conversation, Message, ReadMark
from tests.conftest import PINNED_AT, years_ago

pytestmark = pytest.mark.django_db


def children_writing(clinic: Any, count: int, start: int) -> list[Conversation]:
    """`count` children, each with a family conversation waiting since a moment of its own;
    every other one read by nobody, the rest assigned."""
    patients = Patient.objects.bulk_create(
        Patient(clinic=clinic, legal_name=f"Child {start + n}", date_of_birth=years_ago(11))
        for n in range(count)
    )
    return Conversation.objects.bulk_create(
        Conversation(
            patient=p,
            kind="family",
            last_message_at=PINNED_AT - timedelta(minutes=start + n),
            waiting_since=PINNED_AT - timedelta(minutes=start + n),
        )
        for n, p in enumerate(patients)
    )


def inbox_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("messages_inbox") + "?show=all")
    assert response.status_code == 200
    return len(queries)


def test_the_inbox_costs_the_same_for_3_or_40_conversations(
    as_user: Any, cora: User, clinic: Any
) -> None:
    client = as_user(cora)
    few = children_writing(clinic, 3, 0)
    ReadMark.objects.create(conversation=few[0], user=cora, read_up_to=PINNED_AT)
    Conversation.objects.filter(pk=few[1].pk).update(assigned_to=cora)
    small = inbox_queries(client)
    children_writing(clinic, 37, 3)
    large = inbox_queries(client)
    assert large == small
    assert small <= 12


def thread_queries(client: Any, conversation: Conversation) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("conversation", args=[conversation.pk]))
    assert response.status_code == 200
    return len(queries)


def add_messages(conversation: Conversation, authors: list[User], count: int) -> None:
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            author=authors[n % len(authors)],
            from_family=not authors[n % len(authors)].is_staff_member,
            body=f"Message {n}",
            idempotency_key=uuid.uuid4(),
            assigned_to=authors[-1] if n % 3 == 0 else None,
        )
        for n in range(count)
    )
    last = conversation.messages.order_by("-created_at").values_list("created_at", flat=True)[0]
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=last)


def test_a_thread_costs_the_same_for_2_or_30_messages(
    as_user: Any, gina: User, pat: User, episode: Any, maya: Patient
) -> None:
    conversation = Conversation.objects.create(patient=maya, kind="family")
    add_messages(conversation, [gina, pat], 2)
    client = as_user(pat)
    thread_queries(client, conversation)  # the read mark made once
    small = thread_queries(client, conversation)
    add_messages(conversation, [gina, pat], 28)
    thread_queries(client, conversation)
    large = thread_queries(client, conversation)
    assert large == small
    assert small <= 16


def family_list_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("messages_family"))
    assert response.status_code == 200
    return len(queries)


def test_a_familys_list_costs_the_same_for_one_child_or_four(
    as_user: Any, gina: User, maya: Patient, family: Conversation, clinic: Any
) -> None:
    from backto.access.patients.models import Guardianship

    client = as_user(gina)
    one = family_list_queries(client)
    for conversation in children_writing(clinic, 3, 100):
        Guardianship.objects.create(
            guardian=gina, patient=conversation.patient, relationship="mother"
        )
    four = family_list_queries(client)
    assert four == one
    assert (
        client.get(reverse("messages_family")).content.decode().count("Write to the care team") == 4
    )


def test_the_inbox_pages_by_50_newest_first_and_a_bad_page_is_the_first(
    as_user: Any, cora: User, clinic: Any
) -> None:
    made = children_writing(clinic, 51, 0)
    client = as_user(cora)
    first = client.get(reverse("messages_inbox") + "?show=all")
    assert [c.pk for c in first.context["rows"]] == [c.pk for c in made[:50]]
    assert first.context["older"] == 2 and 'page=2">Older' in first.content.decode()
    second = client.get(reverse("messages_inbox") + "?show=all&page=2")
    assert [c.pk for c in second.context["rows"]] == [made[50].pk]
    assert second.context["older"] is None and second.context["newer"] == 1
    bad = client.get(reverse("messages_inbox") + "?show=nonsense&page=x")
    assert (bad.status_code, bad.context["show"], bad.context["number"]) == (200, "waiting", 1)
