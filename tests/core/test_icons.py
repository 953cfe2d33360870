"""The icon tag draws the sprite's symbols, and every icon a template names is in the sprite."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

from backto.core.templatetags.icons import SPRITE_PATH, icon_names

ROOT = Path(__file__).parents[2] / "backto"
ICON_TAG = re.compile(r"""\{%\s*icon\s+["']([^"']+)["']""")
BRIEF = {
    "home", "diary", "exercises", "progress", "learn", "questionnaire", "check", "star",
    "calendar", "bell", "message", "offline", "school", "sleep", "mood", "plus", "arrow-left",
    "arrow-right", "download", "alert",
}  # fmt: skip


def render(text: str, **context: object) -> str:
    return Template("{% load icons %}" + text).render(Context(context))


def test_a_decorative_icon_is_hidden_from_screen_readers():
    html = render('{% icon "diary" %}')
    assert html == (
        '<svg class="icon" aria-hidden="true" focusable="false">'
        '<use href="/static/backto/icons.svg#diary"></use></svg>'
    )


def test_a_labelled_icon_is_an_image_with_that_name():
    html = render('{% icon "alert" label size="lg" %}', label="Needs attention <now>")
    assert 'class="icon icon-lg" role="img"' in html
    assert "<title>Needs attention &lt;now&gt;</title>" in html
    assert "aria-hidden" not in html


def test_an_unknown_icon_is_an_error_in_tests():
    with pytest.raises(TemplateSyntaxError, match="Unknown icon 'dairy'"):
        render('{% icon "dairy" %}')


def test_an_unknown_size_is_an_error():
    with pytest.raises(TemplateSyntaxError, match="sm, lg, xl"):
        render('{% icon "diary" size="huge" %}')


def test_an_unknown_icon_draws_nothing_in_production(settings):
    settings.DEBUG = False
    settings.TESTING = False
    assert render('{% icon "dairy" %}') == ""


def test_the_sprite_has_the_icons_the_family_app_needs():
    assert icon_names() >= BRIEF


def test_every_symbol_is_drawn_on_the_24_grid_in_the_text_colour():
    sprite = SPRITE_PATH.read_text()
    symbols = re.findall(r"<symbol [^>]*>", sprite)
    assert len(symbols) == len(icon_names())
    for symbol in symbols:
        assert 'viewBox="0 0 24 24"' in symbol, symbol
        assert 'stroke="currentColor"' in symbol, symbol
        assert 'fill="none"' in symbol, symbol


def test_every_icon_a_template_names_is_in_the_sprite():
    named = {
        (str(path.relative_to(ROOT)), name)
        for path in ROOT.rglob("*.html")
        for name in ICON_TAG.findall(path.read_text())
    }
    missing = sorted((path, name) for path, name in named if name not in icon_names())
    assert not missing, missing
