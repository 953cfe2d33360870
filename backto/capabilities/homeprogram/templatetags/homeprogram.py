"""The checklist's texture fields, for every page that includes homeprogram/_checklist.html (the
family's exercises and the diary): an empty form per desensitization exercise, or the one the
family just posted, with its errors."""

from typing import Any

from django import template

from backto.capabilities.homeprogram.forms import TexturesForm
from backto.capabilities.homeprogram.queries import ChecklistRow

register = template.Library()


@register.simple_tag(takes_context=True)
def textures_form(context: Any, row: ChecklistRow) -> TexturesForm:
    posted = context.get("textures_posted")
    if isinstance(posted, TexturesForm) and posted.item_id == row.item.pk:
        return posted
    return TexturesForm(item_id=row.item.pk)
