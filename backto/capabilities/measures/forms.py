"""Questionnaire forms built from the instrument: the whole form, or one item per screen."""

from django import forms

from backto.capabilities.instruments.forms import ItemsForm, item_field
from backto.clinical.instruments import Instrument, Item


class QuestionnaireForm(ItemsForm):
    """Any item may be left unanswered: the missing-item rule of the scoring engine decides what
    a score can be computed from, and finishing with gaps asks once for confirmation."""


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
