"""Browser journeys in Debian's Chromium through Playwright (no browser download)."""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from tests.conftest import PASSWORD
from tests.exam.conftest import referred  # noqa: F401  (fixture)
from tests.goals.conftest import goal  # noqa: F401  (fixture)
from tests.progress.conftest import running  # noqa: F401  (fixture)

# Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures make are
# still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("BACKTO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
PHONE: ViewportSize = {"width": 360, "height": 740}
PHONE_390: ViewportSize = {"width": 390, "height": 844}
TABLET: ViewportSize = {"width": 768, "height": 1024}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: make test installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: Any) -> Iterator[Page]:
    tablet = request.node.get_closest_marker("tablet") is not None
    if request.node.get_closest_marker("phone"):
        viewport = PHONE
    else:
        viewport = TABLET if tablet else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, has_touch=tablet)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def new_page(browser: Browser, request: Any) -> Iterator[Callable[..., Page]]:
    """new_page(**context_options) -> a page in a browser context of its own: a 390 x 844 touch
    phone unless the options say otherwise. Each is photographed into test-artifacts/ and
    closed after the test."""
    contexts: list[BrowserContext] = []

    def open_page(**options: Any) -> Page:
        context = browser.new_context(
            **{"viewport": PHONE_390, "has_touch": True, "is_mobile": True, **options}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    ARTIFACTS.mkdir(exist_ok=True)
    for n, context in enumerate(contexts):
        for page in context.pages:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
        context.close()


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def assert_accessible(page: Page) -> None:
    # After a click, the next page's text can be visible before its stylesheet has loaded; axe
    # must see the page as styled (else the skip link is on screen and every link is text-sized).
    page.wait_for_load_state("load")
    # And as it settles: a celebration fading in is measured at its full colour, not half-way.
    # The page is brought to the front first (a test with a second device's page open left this
    # one in the background, where Chromium pauses its animations and the wait never ended),
    # and the wait is bounded all the same.
    page.bring_to_front()
    page.evaluate(
        """() => Promise.race([
             Promise.all(document.getAnimations()
               .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
               .map((a) => a.finished.catch(() => null))),
             new Promise((settled) => setTimeout(settled, 5000)),
           ])"""
    )
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def assert_no_sideways_scroll(page: Page, width: int = PHONE_390["width"]) -> None:
    """The page, once styled, is no wider than `width`: measured before the stylesheet has loaded
    (text can be visible a moment earlier), an unstyled table would overflow."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def sign_out(page: Page) -> None:
    """Sign out and wait for the sign-in page: signing out first forgets what the device kept
    (signout.js), so the form is sent a moment after the click."""
    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.wait_for_load_state()
