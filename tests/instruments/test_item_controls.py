"""The controls a questionnaire item gets (cards, a slider, a number box) change how an answer is
given, never what is stored: every option of every instrument can be posted from its control and
is read back as exactly the option's value, and the control offers nothing else."""

from html.parser import HTMLParser
from typing import Any

import pytest
from django.http import QueryDict

from backto.capabilities.instruments.forms import item_field
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Item
from backto.core.widgets import (
    ChoiceCards,
    ChoiceCardsMultiple,
    CountInput,
    RatingSlider,
)


class Inputs(HTMLParser):
    """The <input>s of a rendered control, as attribute dicts."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.found.append(dict(attrs))


def inputs(html: str) -> list[dict[str, Any]]:
    parser = Inputs()
    parser.feed(html)
    return parser.found


def postable(item: Item, html: str) -> list[dict[str, str]]:
    """Every form post a person can make with the rendered control, as data."""
    controls = inputs(html)
    named = [c for c in controls if c.get("name") == item.linkId]
    kinds = {c["type"] for c in named}
    if kinds <= {"radio", "checkbox"}:
        return [{item.linkId: c["value"]} for c in named]
    (control,) = named
    low, high, step = int(control["min"]), int(control["max"]), int(control["step"])
    markers = {c["name"]: c["value"] for c in controls if c.get("name") != item.linkId}
    rated = {name: value for name, value in markers.items() if name.endswith("_rated")}
    hidden = {name: value for name, value in markers.items() if name.endswith("_slider")}
    return [{item.linkId: str(v), **hidden, **rated} for v in range(low, high + 1, step)]


CHOICE_ITEMS = [
    pytest.param(instrument, item, id=f"{instrument.id}-{item.linkId}")
    for instrument in instrument_registry().all_versions()
    for item in instrument.items
    if item.type == "choice"
]


@pytest.mark.parametrize(("instrument", "item"), CHOICE_ITEMS)
def test_every_option_is_reachable_and_stored_as_its_value(instrument, item):
    field = item_field(item)
    html = field.widget.render(item.linkId, None, {"id": f"id_{item.linkId}"})
    stored = []
    for data in postable(item, html):
        query = QueryDict(mutable=True)
        for name, value in data.items():
            query[name] = value
        value = field.clean(field.widget.value_from_datadict(query, {}, item.linkId))
        if item.repeats:
            assert len(value) == 1
            value = value[0]
        stored.append(value)
    options = [option.value for option in item.answerOption]
    assert sorted(stored) == sorted(options)
    # exactly the option's value, the same type: 2 is stored as 2, never "2" or 2.0
    assert all(type(s) is type(o) for s, o in zip(sorted(stored), sorted(options), strict=True))


def test_the_control_is_chosen_by_the_options():
    registry = instrument_registry()
    widget = {
        (i.id, item.linkId): type(item_field(item).widget)
        for i in registry
        for item in i.items
        if item.type == "choice"
    }
    assert widget[("daily-diary", "coping")] is ChoiceCardsMultiple
    assert widget[("daily-diary", "pain")] is RatingSlider
    assert widget[("nrs-pain", "current")] is RatingSlider
    assert widget[("school", "missed_4wk")] is CountInput
    assert widget[("school", "mon")] is ChoiceCards
    assert widget[("pgic-child", "change")] is ChoiceCards  # seven worded options stay cards


def test_an_untouched_slider_stores_nothing():
    item = instrument_registry().get("nrs-pain").items[0]
    field = item_field(item)
    field.required = False  # as on the questionnaire pages: any item may be skipped
    data = QueryDict(f"{item.linkId}=5&{item.linkId}_slider=1")
    assert field.clean(field.widget.value_from_datadict(data, {}, item.linkId)) is None
    # a client that posts the value without the slider's marker is read as it stands
    assert field.widget.value_from_datadict(QueryDict(f"{item.linkId}=5"), {}, item.linkId) == "5"


def test_a_count_outside_its_range_names_the_item_and_the_range():
    item = next(i for i in instrument_registry().get("school").items if i.linkId == "missed_4wk")
    field = item_field(item)
    with pytest.raises(Exception) as error:
        field.clean("21")
    assert f"{item.label}: 21 is not allowed; choose a whole number from 0 to 20." in str(
        error.value
    )
