"""Checks for answers to items that are never part of a total: text, numbers, multiple choice.

Single-answer choice items are checked by the scoring tables in `scoring.py`; everything else an
instrument asks (the diary's hours of sleep, its list of coping skills, a written win) is checked
here, with a message naming the item and what is allowed.
"""

from __future__ import annotations

from collections.abc import Callable

from backto.clinical.instruments import Item


def show_number(number: int | float) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def show_input(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def answer_checker(instrument_id: str, item: Item) -> Callable[[object], str | None]:
    """Validation for an item that is not a single-answer choice (never part of a total)."""
    where = f"item {item.linkId!r} of {instrument_id}"
    if item.type == "text":

        def check_text(value: object) -> str | None:
            return None if value is None or isinstance(value, str) else f"{where}: must be text"

        return check_text
    if item.type == "choice":  # repeats: a list of distinct answers
        allowed = {option.value for option in item.answerOption}
        shown = ", ".join(show_number(option.value) for option in item.answerOption)

        def check_choices(value: object) -> str | None:
            if value is None:
                return None
            if not isinstance(value, list | tuple) or any(
                isinstance(v, bool) or not isinstance(v, int | float) or v not in allowed
                for v in value
            ):
                return f"{where}: must be a list of answers from {shown}, got {show_input(value)}"
            if len(set(value)) != len(value):
                return f"{where}: an answer is listed twice in {show_input(value)}"
            return None

        return check_choices
    low, high = item.minValue, item.maxValue
    whole = item.type == "integer"

    def check_number(value: object) -> str | None:
        if value is None:
            return None
        number_ok = not isinstance(value, bool) and isinstance(value, int | float)
        if (
            not number_ok
            or (whole and not float(value).is_integer())  # type: ignore[arg-type]
            or not low <= value <= high  # type: ignore[operator]
        ):
            kind = "a whole number" if whole else "a number"
            return f"{where}: must be {kind} from {low} to {high}, got {show_input(value)}"
        return None

    return check_number
