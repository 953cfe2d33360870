"""The checklist's texture fields, for every page that includes homeprogram/_checklist.html (the
family's exercises and the diary): an empty form per desensitization exercise, or the one the
family just posted, with its errors. And an exercise's words in the reader's language: the
name or instructions in it when the exercise has them, else the English in an element marked
lang="en" (so a screen reader reads it in English)."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from backto.capabilities.homeprogram.forms import TexturesForm
from backto.capabilities.homeprogram.models import Exercise
from backto.capabilities.homeprogram.queries import ChecklistRow
from backto.core.languages import reader_language

register = template.Library()


@register.simple_tag(takes_context=True)
def textures_form(context: Any, row: ChecklistRow) -> TexturesForm:
    posted = context.get("textures_posted")
    if isinstance(posted, TexturesForm) and posted.item_id == row.item.pk:
        return posted
    return TexturesForm(item_id=row.item.pk)


def _marked(text: str, language: str) -> SafeString:
    reader = reader_language()
    if language == reader:
        return format_html("{}", text)
    return format_html('<span lang="{}">{}</span>', language, text)


@register.simple_tag
def exercise_name(exercise: Exercise) -> SafeString:
    words = exercise.words(get_language() or "en")
    return _marked(words.name, words.name_language)


@register.simple_tag
def exercise_instructions(exercise: Exercise) -> SafeString:
    words = exercise.words(get_language() or "en")
    return _marked(words.instructions, words.instructions_language)


@register.filter
def exercise_name_text(exercise: Exercise) -> str:
    """The name as plain text, for an attribute (an image's alt)."""
    return exercise.words(get_language() or "en").name
