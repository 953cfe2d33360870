"""`{% icon "diary" %}`: one of BackTo's own icons, drawn from the sprite backto/static/backto/icons.svg.

Decorative by default (hidden from screen readers, the words beside it say what it means); with a
label, `{% icon "alert" "Needs attention" %}`, it is an image with that name. A name the sprite
lacks is an error in development and tests, so a typo fails a test rather than leaving a blank box;
in production it draws nothing and logs the name.
"""

import logging
import re
from functools import cache
from pathlib import Path

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()
logger = logging.getLogger(__name__)

SPRITE = "backto/icons.svg"
SPRITE_PATH = Path(__file__).resolve().parents[2] / "static" / SPRITE
SYMBOL_ID = re.compile(r'<symbol\s+id="([^"]+)"')
SIZES = ("", "sm", "lg", "xl")


@cache
def icon_names() -> frozenset[str]:
    """The ids of the sprite's symbols, read once per process."""
    return frozenset(SYMBOL_ID.findall(SPRITE_PATH.read_text(encoding="utf-8")))


@register.simple_tag
def icon(name: str, label: str = "", *, size: str = "") -> str:
    """An inline SVG that uses the sprite's symbol `name`. `size` is "sm", "lg" or "xl"."""
    if name not in icon_names() or size not in SIZES:
        problem = (
            f"Unknown icon {name!r}: the sprite {SPRITE} has {', '.join(sorted(icon_names()))}."
            if name not in icon_names()
            else f"Icon size {size!r} is not one of sm, lg, xl."
        )
        if settings.DEBUG or getattr(settings, "TESTING", False):
            raise template.TemplateSyntaxError(problem)
        logger.warning("icon not drawn: %s", problem)
        return ""
    classes = f"icon icon-{size}" if size else "icon"
    href = f"{static(SPRITE)}#{name}"
    if label:
        return format_html(
            '<svg class="{}" role="img" focusable="false"><title>{}</title>'
            '<use href="{}"></use></svg>',
            classes,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>',
        classes,
        href,
    )
