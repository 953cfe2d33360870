"""The design page (/design/): every component on one page, the contrast it claims computed from
the stylesheet and meeting WCAG AA, open to any signed-in person and to no one else."""

import re

import pytest
from django.test import RequestFactory

from backto.core.design import PAIRINGS, colour_tokens, contrast_ratio, relative_luminance
from backto.core.design_views import design_system
from backto.core.templatetags.icons import icon_names

# The names the pages already use: renaming one breaks every page that reads it.
KEPT = {
    "ink", "muted", "line", "paper", "wash", "brand", "brand-dark", "good", "good-wash", "warn",
    "warn-wash", "bad", "bad-wash",
}  # fmt: skip


def page_for(user) -> str:
    request = RequestFactory().get("/design/")
    request.user = user
    response = design_system(request)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48)],
)
def test_contrast_is_computed_as_wcag_defines_it(foreground, background, expected):
    assert contrast_ratio(foreground, background) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(background, foreground) == pytest.approx(expected, abs=0.01)


def test_a_colour_not_written_as_six_hex_digits_is_refused_by_name():
    with pytest.raises(ValueError, match="#rrggbb, not 'blue'"):
        relative_luminance("blue")


def test_the_stylesheet_keeps_the_colour_names_pages_use():
    assert set(colour_tokens()) >= KEPT


def test_every_pair_the_pages_use_meets_aa():
    failing = [(p.foreground, p.background, round(p.ratio, 2)) for p in PAIRINGS if not p.passes]
    assert not failing, failing
    assert all(p.needs >= 3 for p in PAIRINGS)


def test_the_page_shows_every_component_and_the_measured_ratios(pat, gina):
    for user in (pat, gina):  # staff and family alike: it holds no one's record
        html = page_for(user)
        for heading in ("Type", "Colour and contrast", "Buttons", "Cards", "Badges and notices",
                        "Form fields", "Tables", "Navigation", "Icons", "Charts"):  # fmt: skip
            assert f">{heading}</h2>" in html, heading
        shown = dict(
            re.findall(r'data-pair="([a-z-]+/[a-z-]+)">.*?data-ratio="([0-9.]+)"', html, re.S)
        )
        assert len(shown) == len(PAIRINGS)
        for pair in PAIRINGS:
            ratio = float(shown[f"{pair.foreground}/{pair.background}"])
            assert ratio == pytest.approx(pair.ratio, abs=0.005)
            assert ratio >= pair.needs
        assert "Fails</span>" not in html
        for name in icon_names():
            assert f"icons.svg#{name}" in html
        assert '<svg viewBox="0 0' in html and 'class="chart"' in html
        assert "is-invalid" not in html and "Ensure this value is less than or equal to 20" in html


@pytest.mark.urls("tests.core.design_urls")
def test_the_page_needs_a_sign_in_and_nothing_more(client, as_user, gina):
    response = client.get("/design/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert as_user(gina).get("/design/").status_code == 200
    assert client.post("/design/").status_code == 405
