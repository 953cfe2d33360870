"""Reading what a clinician typed for the sensory exam (`sensory_exam`, `sensory_signs`): the
error that names each bad field and what is allowed, and the small readers of numbers, whole
numbers, yes/no/unknown and text that both modules share. Plain Python, no Django."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from backto.clinical.screening import TRI_VALUES, Tri


class SensoryExamError(ValueError):
    """Exam input that cannot be used. `errors` maps each field (`brush.evoked_pain`,
    `temperatures.0.other_c`, `colour`) to its messages, each naming what is allowed."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {key: list(messages) for key, messages in errors.items()}
        super().__init__("; ".join(f"{k}: {m}" for k, ms in self.errors.items() for m in ms))


class Problems:
    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.found.setdefault(key, []).append(message)

    def raise_any(self) -> None:
        if self.found:
            raise SensoryExamError(self.found)


def shown(value: object) -> str:
    """A given value as a message shows it: a number as written, other text in quotes."""
    return f"“{value}”" if isinstance(value, str) and as_decimal(value) is None else str(value)


def as_decimal(value: object) -> Decimal | None:
    """A number (int, float, Decimal or its text) as an exact Decimal; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, int | Decimal | str):
        try:
            number = Decimal(value)
        except (InvalidOperation, ValueError):
            return None
        return number if number.is_finite() else None
    return None


def reading(
    problems: Problems, key: str, value: object, limits: tuple[Decimal, Decimal], unit: str
) -> Decimal | None:
    number = as_decimal(value)
    allowed = f"a number in {unit} from {limits[0]} to {limits[1]}, to 0.1 {unit}"
    if value is None or value == "":
        problems.add(key, f"required: {allowed}")
    elif number is None or not limits[0] <= number <= limits[1]:
        problems.add(key, f"{shown(value)} is not allowed: {allowed}")
    elif number != number.quantize(Decimal("0.1")):
        problems.add(key, f"{value} has more than one decimal: {allowed}")
    else:
        return number.quantize(Decimal("0.1"))
    return None


def whole(problems: Problems, key: str, value: object, low: int, high: int) -> int | None:
    number = as_decimal(value)
    if number is None or number != number.to_integral_value() or not low <= number <= high:
        problems.add(key, f"{shown(value)} is not allowed: a whole number from {low} to {high}")
        return None
    return int(number)


def tri(problems: Problems, key: str, value: object) -> Tri:
    if value in (None, ""):
        return "unknown"
    if value not in TRI_VALUES:
        problems.add(key, f"{shown(value)} is not allowed: yes, no or unknown")
        return "unknown"
    return value  # type: ignore[return-value]


def text(problems: Problems, key: str, value: object, most: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value.strip()) > most:
        problems.add(key, f"is not allowed: text of up to {most} characters")
        return ""
    return value.strip()
