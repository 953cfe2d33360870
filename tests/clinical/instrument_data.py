"""Small, valid instrument definitions for tests, built as plain dicts (the file format)."""

import copy
from typing import Any

from backto.clinical.instrument_registry import instrument_from_data
from backto.clinical.instruments import Instrument


def options(low: int = 0, high: int = 4) -> list[dict[str, Any]]:
    return [{"value": value, "label": str(value)} for value in range(low, high + 1)]


def instrument_data(**changes: Any) -> dict[str, Any]:
    """A five-item, sum-scored test instrument; keyword arguments replace top-level fields."""
    data: dict[str, Any] = {
        "id": "test-scale",
        "version": "1.0.0",
        "title": "Test scale",
        "description": "A scale used by the tests.",
        "respondent": "child",
        "age_range": {"min": 8, "max": 18},
        "enabled": True,
        "licence": {"holder": "BackTo project", "terms": "Test only.", "text_ships": True},
        "references": ["Test fixture."],
        "items": [
            {
                "linkId": str(n),
                "label": f"Item {n}",
                "text": f"Question {n}?",
                "answerOption": options(),
            }
            for n in range(1, 6)
        ],
        "scoring": {
            "method": "sum",
            "items": ["1", "2", "3", "4", "5"],
            "subscales": [{"name": "first_two", "items": ["1", "2"]}],
            "range": {"min": 0, "max": 20},
            "bands": [
                {"lower": 0, "upper": 10, "label": "low"},
                {"lower": 10, "upper": None, "label": "high"},
            ],
            "bands_source": "Test fixture.",
            "direction": "higher_is_worse",
        },
    }
    data.update(copy.deepcopy(changes))
    return data


def make_instrument(**changes: Any) -> Instrument:
    return instrument_from_data(instrument_data(**changes), source="test-scale.json")
