"""The body map in a real Chromium: a teen marks where it bothered them on a 390 px phone, one
region by keyboard (Tab, Space) and one by a tap, and saves; the same checkboxes as a list; axe
finds nothing on the family's page or the care team's; on a 360 px phone every region holds a
24 x 24 CSS px square that a tap anywhere in lands on that region."""

import json
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from backto.capabilities.exam.body_map_drawing import FIGURE_BOX, MIN_TARGET_UNITS, body_map_shapes
from backto.capabilities.exam.models import PainMap
from tests.browser.conftest import ARTIFACTS, assert_accessible, sign_in
from tests.conftest import TODAY
from tests.exam.test_pain_map import _map

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}


def _phone(browser: Browser, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _keep_screenshot(page: Page, request: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    page.context.close()


def _region_point(page: Page, region_id: str) -> tuple[float, float]:
    """The page's point (CSS px, in the viewport) at the centre of the region's tap square."""
    shape = body_map_shapes()[region_id]
    target = shape.target()
    assert target is not None
    checkbox = page.locator(f"input.bm-r-{region_id}")
    checkbox.scroll_into_view_if_needed()
    drawing = page.locator(f".bm-view-{shape.view} .bm-drawing")
    box = drawing.bounding_box()
    assert box is not None
    left, top, width, height = FIGURE_BOX
    return (
        box["x"] + (target[0] - left) / width * box["width"],
        box["y"] + (target[1] - top) / height * box["height"],
    )


def test_a_teen_marks_where_it_bothered_them_by_keyboard_and_by_tap(
    browser: Browser, request: Any, live_server: Any, active: Any, maya_teen: Any
) -> None:
    page = _phone(browser, **PHONE_390)
    try:
        sign_in(page, live_server.url, maya_teen.username)
        page.goto(f"{live_server.url}/family/")
        page.get_by_role("link", name="Mark your body map").click()
        page.wait_for_load_state("load")
        expect(
            page.get_by_role("heading", name="Where did it bother you this week?")
        ).to_be_visible()
        assert_accessible(page)

        # By keyboard: from the first region, Tab to the front of the left knee, then Space.
        page.locator("input.bm-r-head-front").focus()
        knee = page.get_by_role("checkbox", name="Left knee, front")
        for _ in range(40):
            if knee.evaluate("el => el === document.activeElement"):
                break
            page.keyboard.press("Tab")
        expect(knee).to_be_focused()
        page.keyboard.press("Space")
        expect(knee).to_be_checked()
        # Its name shows while it has focus.
        expect(page.locator("label.bm-name", has_text="Left knee, front")).to_be_visible()
        assert_accessible(page)

        # By tap: the right calf, on the back view.
        calf = page.get_by_role("checkbox", name="Right calf")
        x, y = _region_point(page, "lower-leg-right-back")
        page.touchscreen.tap(x, y)
        expect(calf).to_be_checked()
        expect(page.get_by_role("checkbox", name="Left calf")).not_to_be_checked()

        # The same checkboxes as a list, for anyone who prefers one.
        # Named after its map; the map's name is visually hidden, so it reads "Show as a list".
        page.get_by_label("Show Where it bothered you as a list", exact=True).check()
        expect(page.locator(".bm-as-list-label")).to_have_text(
            "Show Where it bothered you as a list"
        )
        expect(page.locator("label.bm-name", has_text="Right calf")).to_be_visible()
        expect(calf).to_be_checked()
        assert_accessible(page)

        page.get_by_role("button", name="Save these places").click()
        expect(
            page.get_by_text("Thank you — your care team will look at it with you.")
        ).to_be_visible()
        expect(page.get_by_text("Nothing to mark right now")).to_be_visible()
        (saved,) = PainMap.objects.all()
        assert saved.regions == ["knee-left-front", "lower-leg-right-back"]
        assert saved.respondent == "child"
        assert_accessible(page)
    finally:
        _keep_screenshot(page, request)


def test_the_care_teams_body_map_page_is_accessible(
    browser: Browser, request: Any, live_server: Any, active: Any, maya_teen: Any, pat: Any
) -> None:
    _map(active, maya_teen, "Week 0", TODAY - timedelta(weeks=2), ["knee-left-front", "lower-back"], "child")  # fmt: skip
    _map(active, maya_teen, "Week 2", TODAY, ["knee-left-front"], "child")
    page = _phone(browser, 360, 740)
    try:
        sign_in(page, live_server.url, pat.username)
        page.goto(f"{live_server.url}/episodes/{active.pk}/body-map/")
        expect(page.get_by_role("heading", name="Body map", exact=True)).to_be_visible()
        expect(
            page.get_by_role("img", name="Heat map of where it bothered Maya, 2 maps")
        ).to_be_visible()
        table = page.get_by_role("region", name="Table of the heat map")
        expect(table).to_contain_text("Left knee, front")
        expect(table).to_contain_text("2 of 2")
        assert_accessible(page)
    finally:
        _keep_screenshot(page, request)


def test_every_region_is_a_24_px_target_on_a_360_px_phone(
    browser: Browser, request: Any, live_server: Any, active: Any, maya_teen: Any
) -> None:
    page = _phone(browser, 360, 740)
    try:
        sign_in(page, live_server.url, maya_teen.username)
        page.goto(f"{live_server.url}/episodes/{active.pk}/where-it-bothered/")
        page.wait_for_load_state("load")
        targets = {}
        for region_id, shape in body_map_shapes().items():
            target = shape.target()
            assert target is not None, region_id
            targets[region_id] = {"view": shape.view, "x": target[0], "y": target[1]}
        left, top, width, height = FIGURE_BOX
        misses = page.evaluate(
            """([targets, box, units]) => {
                const [left, top, width, height] = box;
                const misses = [];
                for (const [id, t] of Object.entries(targets)) {
                    const input = document.querySelector(`input.bm-r-${id}`);
                    input.scrollIntoView({block: "center"});
                    const drawing = document.querySelector(`.bm-view-${t.view} .bm-drawing`);
                    const r = drawing.getBoundingClientRect();
                    const scale = r.width / width;
                    const half = units * scale / 2;
                    if (half * 2 < 24) { misses.push(`${id}: square ${half * 2} px`); continue; }
                    const cx = r.left + (t.x - left) * scale;
                    const cy = r.top + (t.y - top) * (r.height / height);
                    const h = 12 - 0.5;  // a 24 px square, sampled just inside its edges
                    for (const [dx, dy] of [[0,0],[-h,-h],[h,-h],[-h,h],[h,h],[0,-h],[0,h],[-h,0],[h,0]]) {
                        const hit = document.elementFromPoint(cx + dx, cy + dy);
                        if (hit !== input) {
                            misses.push(`${id} at (${dx},${dy}): ${hit && (hit.className || hit.tagName)}`);
                            break;
                        }
                    }
                }
                return misses;
            }""",
            [targets, [left, top, width, height], MIN_TARGET_UNITS],
        )
        assert misses == [], json.dumps(misses, indent=1)
        assert_accessible(page)
    finally:
        _keep_screenshot(page, request)


def test_marked_and_focused_regions_show_in_forced_colours(
    browser: Browser, request: Any, live_server: Any, active: Any, maya_teen: Any
) -> None:
    """Windows High Contrast: the browser replaces backgrounds with the page's colour, which
    made a marked region and the focused one vanish. They keep system colours: marked is
    Highlight, focus is stripes distinct from marked and unmarked."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, forced_colors="active"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server.url, maya_teen.username)
        page.goto(f"{live_server.url}/episodes/{active.pk}/where-it-bothered/")
        page.wait_for_load_state("load")
        assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        highlight = page.evaluate(
            """() => {
                const probe = document.createElement("div");
                probe.style.cssText = "forced-color-adjust: none; background-color: Highlight";
                document.body.append(probe);
                const colour = getComputedStyle(probe).backgroundColor;
                probe.remove();
                return colour;
            }"""
        )

        def look(region_id: str) -> dict[str, str]:
            return page.locator(f"input.bm-r-{region_id}").evaluate(
                """el => {
                    const s = getComputedStyle(el);
                    return {adjust: s.forcedColorAdjust, colour: s.backgroundColor,
                            image: s.backgroundImage};
                }"""
            )

        unmarked = look("face")
        assert unmarked["adjust"] == "none"
        page.get_by_role("checkbox", name="Left knee, front").check()
        page.locator("input.bm-r-head-front").focus()
        page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        focused_id = page.evaluate("document.activeElement.value")
        marked = look("knee-left-front")
        assert marked["colour"] == highlight != unmarked["colour"]
        focused = look(focused_id)
        assert focused_id != "knee-left-front"
        assert "repeating-linear-gradient" in focused["image"]
        assert unmarked["image"] == marked["image"] == "none"
        assert_accessible(page)
    finally:
        _keep_screenshot(page, request)


def test_the_pt_records_their_own_map_by_keyboard_on_the_care_teams_page(
    browser: Browser, request: Any, live_server: Any, active: Any, pat: Any
) -> None:
    page = _phone(browser, **PHONE_390)
    try:
        sign_in(page, live_server.url, pat.username)
        page.goto(f"{live_server.url}/episodes/{active.pk}/body-map/")
        expect(page.get_by_role("heading", name="Record a map")).to_be_visible()
        own = page.get_by_role("radio", name="Baseline: your own map as the clinician")
        own.focus()
        page.keyboard.press("Space")
        expect(own).to_be_checked()
        # Saved with nothing marked: refused, naming the map, and the summary links to it.
        page.get_by_role("button", name="Save these places").click()
        expect(page.get_by_text("Not saved yet:")).to_be_visible()
        expect(page.get_by_text("Mark at least one place on the body").first).to_be_visible()
        assert_accessible(page)
        page.get_by_role("radio", name="Baseline: your own map as the clinician").check()
        knee = page.get_by_role("checkbox", name="Left knee, front")
        knee.focus()
        page.keyboard.press("Space")
        expect(knee).to_be_checked()
        page.get_by_role("button", name="Save these places").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Body map saved: Baseline.")).to_be_visible()
        (saved,) = PainMap.objects.all()
        assert (saved.respondent, saved.regions) == ("clinician", ["knee-left-front"])
        expect(page.get_by_text("your own map as the clinician")).to_have_count(0)
        assert_accessible(page)
    finally:
        _keep_screenshot(page, request)
