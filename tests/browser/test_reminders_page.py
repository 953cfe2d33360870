"""The Reminders page on a 390-px phone: every control at least 44 x 44, axe finds nothing, no
sideways scroll; a reminder and quiet hours are set without JavaScript; with it, "Turn on
notifications on this phone" subscribes this device (the browser's push service stood in for,
since the test has no network) and the server keeps the subscription."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from backto.capabilities.diary.models import Reminder
from backto.capabilities.notifications.models import NotificationSettings, PushSubscription
from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser

MIN_TARGET = 44

# The browser's push service, stood in for: a subscription as Chromium would give it.
FAKE_PUSH = """
(() => {
  let current = null;
  const subscription = {
    endpoint: "https://push.example.net/send/device-1",
    toJSON() {
      return { endpoint: this.endpoint, keys: {
        p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        auth: "tBHItJI5svbpez7KI4CCXg" } };
    },
    unsubscribe() { current = null; return Promise.resolve(true); },
  };
  // The family app's service worker registers as usual; only its push manager is stood in for.
  PushManager.prototype.getSubscription = () => Promise.resolve(current);
  PushManager.prototype.subscribe = (options) => {
    window.keyLength = new Uint8Array(options.applicationServerKey).length;
    current = subscription;
    return Promise.resolve(subscription);
  };
  Notification.requestPermission = () => Promise.resolve("granted");
})();
"""


@pytest.fixture
def phone(new_page: Callable[..., Page]) -> Callable[..., Page]:
    """phone(js=True, fake_push=False) -> a 390 x 844 phone page, with a stand-in push manager."""

    def open_page(js: bool = True, fake_push: bool = False) -> Page:
        page = new_page(java_script_enabled=js)
        if fake_push:
            page.context.add_init_script(FAKE_PUSH)
        return page

    return open_page


def small_targets(page: Page) -> list[str]:
    """Visible controls under 44 x 44; a tick box counts with its label (both are its target)."""
    return page.evaluate(
        """(min) => [...document.querySelectorAll('main button, main input, main a.btn')]
          .filter((e) => e.getClientRects().length && e.type !== 'hidden')
          .map((e) => {
            let box = e.getBoundingClientRect();
            const label = e.type === 'checkbox' && document.querySelector(`label[for="${e.id}"]`);
            if (label) {
              const l = label.getBoundingClientRect();
              const left = Math.min(box.left, l.left), top = Math.min(box.top, l.top);
              box = { width: Math.max(box.right, l.right) - left,
                      height: Math.max(box.bottom, l.bottom) - top };
            }
            return [e.name || e.textContent.trim(), box.width, box.height];
          })
          .filter(([, w, h]) => w < min || h < min)
          .map(([name, w, h]) => `${name}: ${Math.round(w)}x${Math.round(h)}`)""",
        MIN_TARGET,
    )


def check(page: Page, axe: bool = True) -> None:
    page.wait_for_load_state("load")  # after a click, the text can show before the stylesheet
    assert_no_sideways_scroll(page)
    assert small_targets(page) == []
    if axe:  # axe runs as the page's script: not where scripts are off
        assert_accessible(page)


def test_reminders_are_set_without_javascript(phone, live_server, gina, maya, settings):
    from backto.capabilities.notifications.vapid import generate_pair

    settings.BACKTO_VAPID_PUBLIC_KEY, settings.BACKTO_VAPID_PRIVATE_KEY = generate_pair()
    page = phone(js=False)
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/reminders/")
    check(page, axe=False)
    page.get_by_label("Remind me each day at").fill("18:30")
    page.get_by_role("button", name="Save reminder").click()
    expect(page.get_by_text("Saved: a reminder each day at 18:30.")).to_be_visible()
    page.get_by_label("Text me reminders (SMS)").check()
    page.get_by_label("Mobile number for texts").fill("+1 555 123 4567")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved: reminders by email and texts.")).to_be_visible()
    page.get_by_label("Quiet from").fill("20:00")
    page.get_by_role("button", name="Save quiet hours").click()
    expect(page.get_by_text("Saved: nothing from 20:00 until 07:00.")).to_be_visible()
    # Without JavaScript no button promises what cannot happen: the page says how instead.
    expect(page.get_by_role("button", name="Turn on notifications on this phone")).to_be_hidden()
    check(page, axe=False)
    assert Reminder.objects.get(user=gina).time_of_day.strftime("%H:%M") == "18:30"
    choice = NotificationSettings.objects.get(user=gina)
    assert choice.phone == "+15551234567" and choice.quiet_from.hour == 20


def test_this_phone_turns_notifications_on_and_off(phone, live_server, gina, maya, settings):
    from backto.capabilities.notifications.vapid import generate_pair

    settings.BACKTO_VAPID_PUBLIC_KEY, settings.BACKTO_VAPID_PRIVATE_KEY = generate_pair()
    page = phone(fake_push=True)
    sign_in(page, live_server.url, "gina")
    page.goto(f"{live_server.url}/reminders/")
    on = page.get_by_role("button", name="Turn on notifications on this phone")
    expect(on).to_be_visible()
    check(page)
    on.click()
    expect(page.get_by_text("Notifications are on for this phone.")).to_be_visible()
    assert page.evaluate("window.keyLength") == 65  # the VAPID public key, decoded
    device = PushSubscription.objects.get()
    assert device.user == gina and device.endpoint.endswith("/device-1")
    off = page.get_by_role("button", name="Turn off notifications on this phone")
    expect(off).to_be_visible()
    check(page)
    off.click()
    expect(page.get_by_text("Notifications are off for this phone.")).to_be_visible()
    assert not PushSubscription.objects.exists()
