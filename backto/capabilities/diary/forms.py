"""The diary form, built from the instrument's items: the words live in the instrument file."""

import functools
import uuid
from typing import Any

from django import forms

from backto.capabilities.diary.models import PRIVATE_ABLE
from backto.capabilities.instruments.forms import ItemsForm, item_field
from backto.clinical.instrument_registry import instrument_registry


class DiaryForm(ItemsForm):
    """Base of the diary forms; `diary_form_class` adds the instrument's items."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


@functools.cache
def diary_form_class(
    instrument_id: str, version: str, *, ask_pain: bool, teen: bool
) -> type[DiaryForm]:
    """The form for one instrument version, built once: its fields come from the items."""
    instrument = instrument_registry().get(instrument_id, version)
    fields: dict[str, Any] = {}
    for item in instrument.items:
        if item.linkId == "pain" and not ask_pain:
            continue
        fields[item.linkId] = item_field(item)
    if teen:
        labels = {i.linkId: (i.label or i.linkId) for i in instrument.items}
        fields["private_fields"] = forms.MultipleChoiceField(
            label="Keep these answers between me and my care team",
            help_text="Your parents will not see them. Your care team will.",
            choices=[(name, labels[name]) for name in PRIVATE_ABLE if name in labels],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    names = tuple(name for name in fields if name != "private_fields")
    return type("DiaryItemsForm", (DiaryForm,), {**fields, "item_names": names})


class ReminderForm(forms.Form):
    time_of_day = forms.TimeField(
        label="Email me a reminder each day at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
