"""Questionnaire forms built from the instrument: the whole form, or one item per screen."""

from typing import Any

from django import forms

from backto.clinical.instruments import Instrument, Item
from backto.instruments.forms import item_field


class QuestionnaireForm(forms.Form):
    """Any item may be left unanswered: the missing-item rule of the scoring engine decides what
    a score can be computed from, and finishing with gaps asks once for confirmation."""

    item_names: tuple[str, ...] = ()

    def answers(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name in self.item_names:
            value = self.cleaned_data.get(name)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            result[name] = value
        return result


def questionnaire_form_class(
    instrument: Instrument, items: tuple[Item, ...] | None = None
) -> type[QuestionnaireForm]:
    fields: dict[str, forms.Field] = {}
    for item in instrument.items if items is None else items:
        field = item_field(item)
        field.required = False
        fields[item.linkId] = field
    return type(
        "QuestionnaireItemsForm", (QuestionnaireForm,), {**fields, "item_names": tuple(fields)}
    )
