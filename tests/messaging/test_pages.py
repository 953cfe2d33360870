"""The messaging pages for each persona: who opens which conversation (the teen's own is not
there for guardians), sending and its bad input, withdraw, assign and done, the photo and the
transcript (backto/capabilities/messaging/views.py)."""

import uuid
from typing import Any

import pytest
from django.urls import reverse

from backto.access.accounts.models import User
from backto.audit.models import Action, AuditEvent
from backto.capabilities.messaging import actions
from backto.capabilities.messaging.models import Conversation, Message
from tests.conftest import audited
from tests.messaging.conftest import Send, picture

pytestmark = pytest.mark.django_db


def opens(as_user: Any, user: User, url: str) -> int:
    return int(as_user(user).get(url).status_code)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("gina", 200),
        ("maya_teen", 200),
        ("pat", 200),
        ("cora", 200),
        ("ada", 403),
        ("olive", 404),
        ("otto", 404),
        ("elsa", 404),
    ],
)
def test_the_family_conversation_opens_for_its_circle(
    request: Any, as_user: Any, family: Conversation, send: Send, persona: str, status: int
) -> None:
    send(request.getfixturevalue("gina"), family)
    user = request.getfixturevalue(persona)
    assert opens(as_user, user, reverse("conversation", args=[family.pk])) == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("maya_teen", 200),
        ("pat", 200),
        ("gina", 404),  # a guardian never learns it exists
        ("cora", 404),  # the coordinator reaches Maya through the clinic, not her care team
        ("ada", 404),
        ("olive", 404),
        ("otto", 404),
    ],
)
def test_the_teens_own_conversation_is_for_the_teen_and_the_care_team(
    request: Any,
    as_user: Any,
    teen_conversation: Conversation,
    maya_teen: User,
    send: Send,
    persona: str,
    status: int,
) -> None:
    message = send(maya_teen, teen_conversation, "Can we talk about school?", photo=picture())
    user = request.getfixturevalue(persona)
    for url in (
        reverse("conversation", args=[teen_conversation.pk]),
        reverse("conversation_print", args=[teen_conversation.pk]),
        reverse("message_photo", args=[message.pk]),
        reverse("conversation_start", args=[teen_conversation.patient_id, "teen"]),
    ):
        got = opens(as_user, user, url)
        assert (got if got != 302 else 200) == status, url
    if status == 404:
        # Refused as not there, and never a read of it in the log.
        assert not AuditEvent.objects.filter(
            actor_id=user.pk, action=Action.VIEW, object_type__in=("conversation", "message")
        ).exists()


def test_a_guardians_list_shows_no_teen_conversation_and_the_teens_shows_both(
    as_user: Any, gina: User, maya_teen: User, teen_conversation: Conversation, send: Send
) -> None:
    send(maya_teen, teen_conversation, "Private question")
    page = as_user(gina).get(reverse("messages_family")).content.decode()
    assert "Write to the care team" in page
    assert (
        "Just me" not in page and reverse("conversation", args=[teen_conversation.pk]) not in page
    )
    page = as_user(maya_teen).get(reverse("messages_family")).content.decode()
    assert "With my family and the care team" in page and "Just me and the care team" in page
    assert "do not see this conversation" in page


def test_staff_go_to_the_inbox_and_families_to_their_list(
    as_user: Any, gina: User, pat: User
) -> None:
    assert as_user(gina).get(reverse("messages_inbox")).url == reverse("messages_family")
    assert as_user(pat).get(reverse("messages_family")).url == reverse("messages_inbox")


def test_the_inbox_lists_what_waits_with_unread_first(
    as_user: Any,
    pat: User,
    gina: User,
    maya_teen: User,
    family: Conversation,
    teen_conversation: Conversation,
    send: Send,
) -> None:
    send(gina, family)
    send(maya_teen, teen_conversation, "Private question")
    actions.conversation_read(
        by=pat, conversation=family, up_to=Conversation.objects.get(pk=family.pk).last_message_at
    )
    response = as_user(pat).get(reverse("messages_inbox"))
    rows = response.context["rows"]
    assert [(c.pk, c.unread) for c in rows] == [(teen_conversation.pk, True), (family.pk, False)]
    assert "Teen's own (private)" in response.content.decode()
    assert audited(Action.VIEW, object_type="page", object_id="messages_inbox")
    assert as_user(pat).get(reverse("messages_inbox") + "?show=mine").context["rows"] == []


def test_the_clinic_admin_has_no_inbox(as_user: Any, ada: User) -> None:
    assert as_user(ada).get(reverse("messages_inbox")).status_code == 403


def test_a_parent_starts_a_conversation_and_a_second_post_lands_once(
    as_user: Any, gina: User, maya: Any, episode: Any
) -> None:
    client = as_user(gina)
    url = reverse("conversation_start", args=[maya.pk, "family"])
    page = client.get(url)
    assert page.status_code == 200 and not Conversation.objects.exists()
    key = str(page.context["form"].initial["idempotency_key"])
    form = {"body": "Is swimming OK this week?", "idempotency_key": key}
    first = client.post(url, form)
    conversation = Conversation.objects.get()
    assert first.url.startswith(reverse("conversation", args=[conversation.pk]))
    again = client.post(reverse("conversation_send", args=[conversation.pk]), form)
    assert again.status_code == 302
    assert Message.objects.count() == 1
    assert client.get(url).url == reverse("conversation", args=[conversation.pk])


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"body": "x" * 4001}, "at most 4,000 characters; this one has 4001"),
        ({"body": ""}, "Write a message or add a photo."),
        ({"body": "Look", "photo": "svg"}, "SVG, HTML or XML"),
    ],
    ids=["too-long", "empty", "svg-photo"],
)
def test_bad_input_is_shown_naming_the_field_and_nothing_is_sent(
    as_user: Any, gina: User, family: Conversation, form: dict[str, Any], words: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    if form.get("photo") == "svg":
        form["photo"] = SimpleUploadedFile("a.svg", b"<svg></svg>", content_type="image/svg+xml")
    form["idempotency_key"] = str(uuid.uuid4())
    response = as_user(gina).post(reverse("conversation_send", args=[family.pk]), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page.replace("&#x27;", "'")
    assert "Your message" in page or "Add a photo" in page
    assert not Message.objects.exists()


def test_a_withdrawn_message_shows_as_withdrawn_to_the_family_and_its_words_to_triage(
    as_user: Any, gina: User, pat: User, family: Conversation, send: Send
) -> None:
    message = send(gina, family, "Wrong child, sorry")
    withdraw = reverse("message_withdraw", args=[message.pk])
    assert as_user(pat).post(withdraw).status_code == 403
    assert as_user(gina).post(withdraw).status_code == 302
    page = as_user(gina).get(reverse("conversation", args=[family.pk])).content.decode()
    assert "Withdrawn by its author on" in page and "Wrong child, sorry" not in page
    page = as_user(pat).get(reverse("conversation", args=[family.pk])).content.decode()
    assert "Withdrawn by its author on" in page and "Wrong child, sorry" in page


def test_the_team_assigns_and_marks_done_and_the_family_cannot(
    as_user: Any, gina: User, pat: User, family: Conversation, send: Send
) -> None:
    message = send(gina, family)
    assign, done = (reverse(n, args=[message.pk]) for n in ("message_assign", "message_done"))
    assert as_user(gina).post(assign, {"to": str(pat.pk)}).status_code == 403
    assert as_user(gina).post(done).status_code == 403
    client = as_user(pat)
    page = client.get(reverse("conversation", args=[family.pk])).content.decode()
    assert "Mark done" in page and "Assign to" in page
    assert client.post(assign, {"to": str(pat.pk)}).status_code == 302
    family.refresh_from_db()
    assert family.assigned_to == pat
    assert client.post(assign, {"to": "12x"}).status_code == 400  # not a value the page sends
    assert client.post(done).status_code == 302
    family.refresh_from_db()
    assert family.waiting_since is None and family.assigned_to is None


def test_the_photo_is_served_only_through_the_check_and_never_kept(
    as_user: Any, gina: User, otto: User, family: Conversation, send: Send
) -> None:
    message = send(gina, family, "", photo=picture())
    url = reverse("message_photo", args=[message.pk])
    response = as_user(gina).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response.content.startswith(b"\xff\xd8")
    assert as_user(otto).get(url).status_code == 404
    assert audited(Action.VIEW, object_type="message", object_id=str(message.pk))


def test_the_transcript_prints_the_whole_conversation_and_is_audited(
    as_user: Any, gina: User, pat: User, family: Conversation, send: Send
) -> None:
    send(gina, family, "First question")
    send(pat, family, "First answer")
    response = as_user(pat).get(reverse("conversation_print", args=[family.pk]))
    page = response.content.decode()
    assert "First question" in page and "First answer" in page and "Maya Rose Lindqvist" in page
    assert audited(
        Action.VIEW,
        object_type="conversation",
        object_id=str(family.pk),
        detail="conversation_print",
    )


def test_reading_the_thread_marks_it_read_and_is_audited(
    as_user: Any, gina: User, pat: User, family: Conversation, send: Send
) -> None:
    send(gina, family)
    as_user(pat).get(reverse("conversation", args=[family.pk]))
    assert audited(Action.VIEW, object_type="conversation", detail="conversation")
    inbox = as_user(pat).get(reverse("messages_inbox")).context["rows"]
    assert [c.unread for c in inbox] == [False]


def test_a_canned_reply_fills_the_box_without_script(
    as_user: Any, cora: User, pat: User, clinic: Any, gina: User, family: Conversation, send: Send
) -> None:
    send(gina, family)
    reply = actions.canned_reply_save(
        by=cora, clinic=clinic, title="Swelling", body="Rest and lift the foot.", active=True
    )
    page = as_user(pat).get(reverse("conversation", args=[family.pk]) + f"?canned={reply.pk}")
    initial = page.context["form"].initial
    assert (initial["body"], initial["canned_reply"]) == ("Rest and lift the foot.", reply.pk)
    assert (
        as_user(pat).get(reverse("conversation", args=[family.pk]) + "?canned=abc").status_code
        == 400
    )
    # A family member is never offered the clinic's canned replies.
    assert (
        "Swelling"
        not in as_user(gina).get(reverse("conversation", args=[family.pk])).content.decode()
    )


def test_the_canned_replies_page_is_for_who_may_edit_them(
    as_user: Any, cora: User, pat: User, gina: User
) -> None:
    assert as_user(pat).get(reverse("canned_replies")).status_code == 403
    client = as_user(cora)
    assert client.get(reverse("canned_replies")).status_code == 200
    saved = client.post(
        reverse("canned_reply_save"), {"title": "Swelling", "body": "Rest.", "active": "on"}
    )
    assert saved.status_code == 302
    twice = client.post(reverse("canned_reply_save"), {"title": "Swelling", "body": "Again."})
    assert twice.status_code == 400 and "already has a reply" in twice.content.decode()
    assert client.post(reverse("reply_time"), {"text": ""}).status_code == 400
    assert client.post(reverse("reply_time"), {"text": "Within a day."}).status_code == 302
    assert "Within a day." in as_user(gina).get(reverse("messages_family")).content.decode()


def test_the_access_log_can_leave_out_what_tells_of_the_teens_conversation(
    as_user: Any,
    gina: User,
    pat: User,
    maya_teen: User,
    family: Conversation,
    teen_conversation: Conversation,
    send: Send,
) -> None:
    from backto.capabilities.messaging.queries import teen_events_kept_from

    patient = teen_conversation.patient
    as_user(maya_teen).get(reverse("conversation_start", args=[patient.pk, "teen"]))
    message = send(maya_teen, teen_conversation, "Private")
    as_user(maya_teen).get(reverse("conversation", args=[teen_conversation.pk]))
    as_user(gina).get(reverse("conversation", args=[teen_conversation.pk]))  # refused: 404
    send(gina, family, "Ours")
    events = AuditEvent.objects.filter(patient_id=patient.pk)
    kept = events.filter(teen_events_kept_from(gina, patient))
    assert {(e.object_type, e.object_id) for e in kept} >= {
        ("conversation", str(teen_conversation.pk)),
        ("message", str(message.pk)),
        ("patient", str(patient.pk)),
    }
    assert not kept.filter(
        object_type="message", object_id__in=[str(m.pk) for m in family.messages.all()]
    ).exists()
    assert not events.filter(teen_events_kept_from(pat, patient)).exists()


def test_after_words_that_suggest_self_harm_the_family_sees_the_clinics_help_once(
    as_user: Any, gina: User, family: Conversation, episode: Any
) -> None:
    client = as_user(gina)
    form = {"body": "She said she wants to kill herself", "idempotency_key": str(uuid.uuid4())}
    sent = client.post(reverse("conversation_send", args=[family.pk]), form, follow=True)
    page = sent.content.decode()
    assert 'role="alert"' in page and "Your care team can see this answer." in page
    again = client.get(reverse("conversation", args=[family.pk])).content.decode()
    assert "Your care team can see this answer." not in again


def test_a_child_without_a_teen_account_has_no_conversation_of_their_own(
    as_user: Any, pat: User, maya: Any, episode: Any
) -> None:
    url = reverse("conversation_start", args=[maya.pk, "teen"])
    assert as_user(pat).get(url).status_code == 404
    assert audited(Action.PERMISSION_DENIED, object_type="patient", detail="404 message_view")
    assert (
        as_user(pat).get(reverse("conversation_start", args=[maya.pk, "other"])).status_code == 404
    )
