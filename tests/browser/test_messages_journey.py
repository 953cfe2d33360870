"""Messages in Chromium: a parent asks the care team a question on a 390-px phone (with a
photo), the PT answers it on a desktop and marks it done, the parent reads the answer; a teen's
private conversation is not there for the guardian. axe finds nothing on each page."""

import io
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from backto.capabilities.messaging.models import Conversation, Message
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (210, 140, 120)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def small_targets(page: Page) -> list[str]:
    """Visible buttons, fields and button-links of the page's main part under 44 x 44 px."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main button, main a.btn, main select, main textarea')]
          .filter((e) => e.getClientRects().length)
          .map((e) => [e.name || e.textContent.trim(), e.getBoundingClientRect()])
          .filter(([, box]) => box.width < 44 || box.height < 44)
          .map(([name, box]) => `${name}: ${Math.round(box.width)}x${Math.round(box.height)}`)"""
    )


def check(page: Page) -> None:
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    assert small_targets(page) == []


def test_a_parent_asks_on_a_phone_and_the_pt_answers(
    new_page: Callable[..., Page], live_server: Any, gina: Any, pat: Any, maya: Any, episode: Any
) -> None:
    phone = new_page()
    sign_in(phone, live_server.url, "gina")
    phone.goto(f"{live_server.url}/family/messages/")
    expect(phone.get_by_text("Messages are not for emergencies")).to_be_visible()
    check(phone)
    phone.get_by_role("link", name="Write to the care team").click()
    check(phone)
    phone.get_by_label("Your message").fill("Her ankle looks puffy after the walk. Is that OK?")
    phone.get_by_label("Add a photo (optional)").set_input_files(
        files=[{"name": "ankle.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Her ankle looks puffy after the walk")).to_be_visible()
    expect(phone.get_by_role("img", name="Photo sent by you")).to_be_visible()
    check(phone)
    conversation = Conversation.objects.get()
    assert Message.objects.get().photo.name.startswith("messages/")

    desk = new_page(viewport={"width": 1280, "height": 900}, has_touch=False, is_mobile=False)
    sign_in(desk, live_server.url, "pat")
    desk.goto(f"{live_server.url}/messages/")
    expect(desk.get_by_role("link", name=maya.name)).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("link", name=maya.name).click()
    expect(desk.get_by_text("Her ankle looks puffy after the walk")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_label("Your message").fill(
        "A little puffiness is common. Keep the walk; tell us if it is red."
    )
    desk.get_by_role("button", name="Send").click()
    expect(desk.get_by_text("A little puffiness is common.")).to_be_visible()
    desk.get_by_role("button", name="Mark done").click()
    expect(desk.get_by_text("Marked done.")).to_be_visible()
    assert_accessible(desk)
    conversation.refresh_from_db()
    assert conversation.waiting_since is None

    phone.goto(f"{live_server.url}/family/messages/")
    expect(phone.get_by_text("New reply")).to_be_visible()
    phone.get_by_role("link", name=re.compile("Write to the care team")).click()
    expect(phone.get_by_text("A little puffiness is common.")).to_be_visible()
    check(phone)


def test_a_teens_private_conversation_is_not_there_for_the_guardian(
    new_page: Callable[..., Page],
    live_server: Any,
    gina: Any,
    maya_teen: Any,
    pat: Any,
    maya: Any,
    episode: Any,
) -> None:
    teen = new_page()
    sign_in(teen, live_server.url, maya_teen.username)
    teen.goto(f"{live_server.url}/family/messages/")
    expect(
        teen.get_by_text("Private: your parents or guardians do not see this conversation.")
    ).to_be_visible()
    check(teen)
    teen.get_by_role("link", name="Just me and the care team").click()
    expect(teen.get_by_text("Only you and your care team see this conversation.")).to_be_visible()
    teen.get_by_label("Your message").fill("Can we talk about PE at school?")
    teen.get_by_role("button", name="Send").click()
    expect(teen.get_by_text("Can we talk about PE at school?")).to_be_visible()
    check(teen)
    private = Conversation.objects.get(kind="teen")

    parent = new_page()
    sign_in(parent, live_server.url, "gina")
    parent.goto(f"{live_server.url}/family/messages/")
    expect(parent.get_by_role("link", name="Write to the care team")).to_be_visible()
    expect(parent.get_by_text("Just me")).to_have_count(0)
    check(parent)
    response = parent.goto(f"{live_server.url}/conversations/{private.pk}/")
    assert response is not None and response.status == 404
    expect(parent.get_by_text("Can we talk about PE")).to_have_count(0)


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_a_canned_reply_goes_in_the_box_to_be_changed_before_sending(
    new_page: Callable[..., Page],
    live_server: Any,
    gina: Any,
    pat: Any,
    cora: Any,
    clinic: Any,
    maya: Any,
    episode: Any,
    js: bool,
) -> None:
    from backto.capabilities.messaging.actions import (
        canned_reply_save,
        conversation_for,
        message_send,
    )

    canned_reply_save(
        by=cora,
        clinic=clinic,
        title="Swelling",
        body="Rest and lift the foot tonight.",
        active=True,
    )
    conversation = conversation_for(patient=maya, kind="family")
    message_send(
        by=gina, conversation=conversation, body="Puffy ankle", idempotency_key=uuid.uuid4()
    )
    desk = new_page(
        viewport={"width": 1280, "height": 900},
        has_touch=False,
        is_mobile=False,
        java_script_enabled=js,
    )
    sign_in(desk, live_server.url, "pat")
    desk.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    desk.get_by_label("Start from a canned reply").select_option(label="Swelling")
    if not js:
        desk.get_by_role("button", name="Put it in the box").click()
    else:
        expect(desk.get_by_role("button", name="Put it in the box")).to_be_hidden()
    box = desk.get_by_label("Your message")
    expect(box).to_have_value("Rest and lift the foot tonight.")
    box.fill("Rest and lift the foot tonight, Maya.")
    desk.get_by_role("button", name="Send").click()
    expect(desk.get_by_text("Rest and lift the foot tonight, Maya.")).to_be_visible()
    if js:  # axe runs as a script in the page
        assert_accessible(desk)
    sent = Message.objects.filter(from_family=False).get()
    assert sent.canned_reply is not None and sent.canned_reply.title == "Swelling"
