"""The family's app on a 390-pixel phone in Chromium: it can be installed, its pages open
without a connection, a diary saved offline is stored once when the connection returns, and
signing out leaves nothing behind."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.browser.conftest import CHROMIUM, assert_accessible, assert_no_sideways_scroll, sign_in
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PHONE_390: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser, live_server: Any, tmp_path: Path) -> Iterator[Page]:
    """A phone with a profile of its own: Chromium installs no app from an incognito context,
    which is what a plain Playwright context is."""
    context: BrowserContext = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        viewport=PHONE_390,
        has_touch=True,
        is_mobile=True,
        service_workers="allow",
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def base(live_server: Any) -> str:
    return live_server.url


def worker_in_control(page: Page) -> None:
    """Wait for the worker to be active, then reload once so that it controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")


def test_the_family_home_meets_the_install_criteria(phone: Page, live_server, gina):
    sign_in(phone, base(live_server), "gina")
    phone.goto(f"{base(live_server)}/family/")
    worker_in_control(phone)
    cdp = phone.context.new_cdp_session(phone)
    answer = cdp.send("Page.getInstallabilityErrors")
    print(live_server.url, answer)
    assert answer["installabilityErrors"] == []


FILL_EVERY_QUESTION = """form => {
  // Whatever the diary asks today (its steps and controls are another engineer's to change):
  // the first choice of each question, a number inside its range, a few words in a text box.
  const seen = new Set();
  for (const el of form.elements) {
    if (!el.name || el.type === "hidden" || el.name === "private_fields" || seen.has(el.name)) continue;
    if (el.type === "radio" || el.type === "checkbox") { el.checked = true; seen.add(el.name); }
    else if (el.type === "number" || el.type === "range") { el.value = el.min || "1"; seen.add(el.name); }
    else if (el.tagName === "TEXTAREA" || el.type === "text") { el.value = "A walk with the dog"; seen.add(el.name); }
    else if (el.tagName === "SELECT" && el.options.length > 1) { el.selectedIndex = 1; seen.add(el.name); }
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }
}"""


def save_the_diary(page: Page) -> None:
    form = page.locator("form[data-outbox]")
    form.evaluate(FILL_EVERY_QUESTION)
    save = page.get_by_role("button", name="Save my day")
    for _ in range(20):  # through the steps, when the page shows them one at a time
        if save.is_visible():
            break
        page.get_by_role("button", name="Next", exact=True).click()
    save.click()


def banner(page: Page):
    return page.locator("[data-outbox-banner]")


def test_a_diary_saved_offline_is_stored_once_when_the_connection_returns(
    phone: Page, live_server, maya_teen, maya, episode
):
    from backto.capabilities.diary.models import DiaryEntry

    sign_in(phone, base(live_server), "maya13")
    phone.goto(f"{base(live_server)}/patients/{maya.pk}/diary/")
    worker_in_control(phone)

    phone.context.set_offline(True)
    expect(banner(phone)).to_contain_text("You are offline.")
    save_the_diary(phone)
    expect(banner(phone)).to_contain_text(
        "Saved on this phone. It will be sent when you are back online."
    )
    expect(banner(phone)).to_contain_text("1 entry is waiting on this phone to be sent.")
    assert DiaryEntry.objects.count() == 0
    assert_accessible(phone)  # the banner showing
    waiting = phone.evaluate("window.backtoOutbox.entries()")
    assert [e["url"] for e in waiting] == [f"/patients/{maya.pk}/diary/"]
    fields = dict(waiting[0]["fields"])
    assert fields["idempotency_key"] == waiting[0]["key"]
    assert fields["csrfmiddlewaretoken"]

    phone.context.set_offline(False)
    expect(banner(phone)).to_contain_text("Sent: the entry saved on this phone is in.")
    assert phone.evaluate("window.backtoOutbox.entries()") == []
    assert DiaryEntry.objects.count() == 1

    # The answer was lost on the way back and the phone sends the same entry again: the
    # server's idempotency key takes it once.
    phone.evaluate(
        "entries => { localStorage.setItem('backto:outbox', JSON.stringify(entries)); "
        "return window.backtoOutbox.flush(); }",
        waiting,
    )
    assert phone.evaluate("window.backtoOutbox.entries()") == []
    phone.reload()
    assert DiaryEntry.objects.count() == 1
    assert str(DiaryEntry.objects.get().idempotency_key) == waiting[0]["key"]


def test_the_diary_and_a_learning_page_open_offline_and_other_pages_say_so(
    phone: Page, live_server, maya_teen, maya, episode
):
    from backto.capabilities.diary.models import DiaryEntry

    sign_in(phone, base(live_server), "maya13")
    diary = f"{base(live_server)}/patients/{maya.pk}/diary/"
    phone.goto(diary)
    worker_in_control(phone)
    phone.goto(diary)  # kept by the worker now that it controls the page
    expect(phone.get_by_text("It takes about a minute.")).to_be_visible()
    phone.goto(f"{base(live_server)}/learn/explainer/")
    explainer_heading = phone.get_by_role("heading", level=1).inner_text()

    phone.context.set_offline(True)
    # Written meanwhile on another device: the server's page would now say so, the phone's
    # kept copy does not, which shows the page came from the phone.
    sign_in_elsewhere_and_write(maya_teen, maya)
    phone.goto(diary)
    expect(phone.get_by_role("heading", name="My day")).to_be_visible()
    expect(phone.get_by_text("It takes about a minute.")).to_be_visible()
    assert DiaryEntry.objects.count() == 1
    expect(banner(phone)).to_contain_text("You are offline.")
    phone.goto(f"{base(live_server)}/learn/explainer/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(explainer_heading)

    # A page the phone did not keep: the offline page, kind and naming nobody.
    phone.goto(f"{base(live_server)}/patients/{maya.pk}/diary/calendar/")
    expect(phone.get_by_role("heading", name="No connection right now")).to_be_visible()
    expect(phone.get_by_text("Maya")).to_have_count(0)
    assert_no_sideways_scroll(phone, 390)
    assert_accessible(phone)


def sign_in_elsewhere_and_write(teen: Any, patient: Any) -> None:
    import uuid

    from backto.capabilities.diary.models import DiaryEntry

    DiaryEntry.objects.create(
        patient=patient,
        day=TODAY,
        respondent="child",
        author=teen,
        idempotency_key=uuid.uuid4(),
        answers={},
        instrument_version="1",
    )


def test_signing_out_forgets_the_outbox_and_the_kept_pages(
    phone: Page, live_server, maya_teen, maya, episode
):
    sign_in(phone, base(live_server), "maya13")
    diary = f"{base(live_server)}/patients/{maya.pk}/diary/"
    phone.goto(diary)
    worker_in_control(phone)
    phone.goto(diary)
    phone.context.set_offline(True)
    save_the_diary(phone)
    expect(banner(phone)).to_contain_text("1 entry is waiting")
    kept = "caches.keys().then(names => names.filter(n => n.startsWith('backto-pages')))"
    pages_kept = phone.evaluate(
        f"{kept}.then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(request => new URL(request.url).pathname))"
    )
    assert f"/patients/{maya.pk}/diary/" in pages_kept
    # Back online with the entry still waiting (marked as not taken, so the outbox leaves it),
    # sign out: what signout.js forgot is read on a page that is not the sign-in page (which
    # forgets the same).
    phone.evaluate(
        "localStorage.setItem('backto:outbox', JSON.stringify(window.backtoOutbox.entries()"
        ".map(e => Object.assign(e, {problem: 'check'}))))"
    )
    phone.context.set_offline(False)
    phone.route(
        "**/accounts/logout/",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Bye</p>"),
    )
    phone.get_by_role("button", name="Sign out").click()
    expect(phone.get_by_text("Bye")).to_be_visible()
    assert phone.evaluate("localStorage.getItem('backto:outbox')") is None
    assert phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('backto:'))") == []
    assert phone.evaluate(kept) == []


def test_a_kept_diary_whose_form_was_sent_online_saves_offline_under_a_new_key(
    phone: Page, live_server, maya_teen, maya, episode
):
    from backto.capabilities.diary.models import DiaryEntry

    sign_in(phone, base(live_server), "maya13")
    diary = f"{base(live_server)}/patients/{maya.pk}/diary/"
    phone.goto(diary)
    worker_in_control(phone)
    phone.goto(diary)  # the kept copy, with this form's key
    first_key = phone.locator("[name=idempotency_key]").input_value()
    # The worker stores its copy after the page has come: wait for it (the worker stores copies
    # in the order their pages came, so the reload's older copy never replaces this one).
    phone.wait_for_function(
        """([path, key]) => caches.keys()
            .then(names => names.find(n => n.startsWith('backto-pages')))
            .then(name => name && caches.open(name).then(c => c.match(path)))
            .then(kept => kept ? kept.text() : '')
            .then(html => html.includes(key))""",
        arg=[diary, first_key],
    )
    save_the_diary(phone)  # online: a plain form
    expect(phone).not_to_have_url(diary)
    assert str(DiaryEntry.objects.get().idempotency_key) == first_key

    # Later, offline: the phone shows the kept copy, with the key already used.
    phone.context.set_offline(True)
    phone.goto(diary)
    assert phone.locator("[name=idempotency_key]").input_value() == first_key
    save_the_diary(phone)
    expect(banner(phone)).to_contain_text("1 entry is waiting")
    second_key = phone.evaluate("window.backtoOutbox.entries()[0].key")
    assert second_key != first_key
    phone.context.set_offline(False)
    expect(banner(phone)).to_contain_text("Sent: the entry saved on this phone is in.")
    # Taken as the day's second save (an edit), not as a replay of the first.
    entry = DiaryEntry.objects.get()
    assert str(entry.idempotency_key) == second_key
    assert first_key in entry.earlier_keys


def queue_offline(phone: Page, live_server: Any, patient: Any) -> list[dict]:
    """Open the diary, let the worker keep it, save it offline; the phone stays offline."""
    diary = f"{base(live_server)}/patients/{patient.pk}/diary/"
    phone.goto(diary)
    worker_in_control(phone)
    phone.context.set_offline(True)
    save_the_diary(phone)
    expect(banner(phone)).to_contain_text("1 entry is waiting")
    entries: list[dict] = phone.evaluate("window.backtoOutbox.entries()")
    return entries


def put_back(phone: Page, entries: list[dict]) -> None:
    phone.evaluate("e => localStorage.setItem('backto:outbox', JSON.stringify(e))", entries)


def test_an_entry_the_server_does_not_take_stays_and_the_family_is_asked_to_fix_it(
    phone: Page, live_server, maya_teen, maya, episode
):
    from backto.capabilities.diary.models import DiaryEntry

    sign_in(phone, base(live_server), "maya13")
    entries = queue_offline(phone, live_server, maya)
    # An answer the server refuses (the form comes back, nothing is stored).
    entries[0]["fields"] = [
        [name, "99" if name == "sleep_hours" else value] for name, value in entries[0]["fields"]
    ]
    put_back(phone, entries)
    phone.context.set_offline(False)
    expect(banner(phone)).to_contain_text("An entry saved on this phone was not taken")
    expect(banner(phone).get_by_role("link", name="to fix it")).to_have_attribute(
        "href", f"/patients/{maya.pk}/diary/"
    )
    assert DiaryEntry.objects.count() == 0
    assert [e["problem"] for e in phone.evaluate("window.backtoOutbox.entries()")] == ["check"]
    assert_accessible(phone)


def test_a_diary_saved_offline_last_night_is_sent_as_yesterdays(
    phone: Page, live_server, maya_teen, maya, episode
):
    from datetime import date, timedelta

    from backto.capabilities.diary.models import DiaryEntry

    sign_in(phone, base(live_server), "maya13")
    entries = queue_offline(phone, live_server, maya)
    phone_today = date.fromisoformat(entries[0]["queuedOn"])
    entries[0]["queuedOn"] = (phone_today - timedelta(days=1)).isoformat()
    too_old = dict(entries[0], key="0c3d8a53-2f0b-4a55-9d52-3f4b8f1e6a10")
    too_old["queuedOn"] = (phone_today - timedelta(days=2)).isoformat()
    put_back(phone, [entries[0], too_old])
    phone.context.set_offline(False)
    expect(banner(phone)).to_contain_text("more than a day ago could not be sent")
    assert phone.evaluate("window.backtoOutbox.entries()") == []
    entry = DiaryEntry.objects.select_related("patient__clinic").get()
    clinic_day = entry.created_at.astimezone(ZoneInfo(entry.patient.clinic.time_zone)).date()
    assert entry.day == clinic_day - timedelta(days=1)


def test_when_the_session_is_gone_the_outbox_and_the_kept_pages_are_forgotten(
    phone: Page, live_server, maya_teen, maya, episode
):
    from backto.capabilities.diary.models import DiaryEntry

    sign_in(phone, base(live_server), "maya13")
    queue_offline(phone, live_server, maya)
    phone.context.clear_cookies(name="sessionid")  # expired, or signed out on another tab
    phone.context.set_offline(False)
    expect(banner(phone)).to_contain_text("You were signed out")
    assert phone.evaluate("localStorage.getItem('backto:outbox')") is None
    assert (
        phone.evaluate(
            "caches.keys().then(names => names.filter(n => n.startsWith('backto-pages')))"
        )
        == []
    )
    assert DiaryEntry.objects.count() == 0


def test_a_push_reminder_is_shown_with_the_app_icon_and_opens_only_this_site(
    phone: Page, live_server, gina
):
    sign_in(phone, base(live_server), "gina")
    phone.goto(f"{base(live_server)}/family/")
    worker_in_control(phone)
    phone.context.grant_permissions(["notifications"], origin=base(live_server))
    cdp = phone.context.new_cdp_session(phone)
    registrations: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):  # the registrations come as events
        if registrations:
            break
        phone.wait_for_timeout(100)
    registration_id = next(r["registrationId"] for r in registrations if not r["isDeleted"])

    def push(payload: str) -> None:
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": base(live_server), "registrationId": registration_id, "data": payload},
        )

    push(
        '{"title": "Time for your diary", "body": "A minute for today.", "url": "/family/", "tag": "diary"}'
    )
    push('{"title": "Elsewhere", "url": "https://example.com/x", "tag": "other"}')
    shown = phone.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          for (let i = 0; i < 50; i++) {
            const list = await registration.getNotifications();
            if (list.length === 2) {
              return list.map(n => ({title: n.title, body: n.body, icon: n.icon, tag: n.tag, url: n.data.url}));
            }
            await new Promise(resolve => setTimeout(resolve, 100));
          }
          return [];
        }"""
    )
    by_tag = {n["tag"]: n for n in shown}
    assert by_tag["diary"]["title"] == "Time for your diary"
    assert by_tag["diary"]["body"] == "A minute for today."
    assert by_tag["diary"]["icon"].endswith("/static/familyapp/icon-192.png")
    assert by_tag["diary"]["url"] == f"{base(live_server)}/family/"
    assert by_tag["other"]["url"] == f"{base(live_server)}/"  # never another site
