"""The scoring engine: totals, subscales, bands and the missing-item rule.

Rules (CLINICAL.md, "Missing items", a project rule):

- a total is computed when no more than 20% of its items, rounded down, are unanswered (FDI up to
  3 of 15, PCS up to 2 of 13, FOPQ-SF up to 2 of 10); a subscale by the same rule on its own items;
- with missing items a sum is prorated: the mean of the answered items times the number of items,
  rounded half away from zero to one decimal (exact decimal arithmetic, never float `round()`), and
  flagged as prorated; with more missing the total is null and a note gives the reason;
- bands are half-open intervals [lower, upper) on the (prorated) total: FDI 12.9 is none/minimal
  (Kashikar-Zuck et al., Pain 2011), PCS-C 25.5 is moderate (Pielech et al., Pain 2014);
- child and parent forms are separate instruments and are never averaged;
- a count per period (method "rate", the healthcare-use questionnaire; CLINICAL.md, "Medicines
  and healthcare use"): count x 3 / months covered, rounded half away from zero to one decimal
  (exact fractions); the months covered are an answer BackTo fills (`months_covered`), so the
  score is recomputed from the stored answers; a count is never prorated: every item of a group
  must be answered.

Every result carries the instrument id and version, the engine version and a description of the
rule applied, so that a stored score can be traced and recomputed from the raw answers.

The same compiled lookup tables serve `score()` and the batch scorer (`batch.py`), so the two can
never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Final, NamedTuple

from backto.clinical.instruments import Instrument, Item, RateRule, Subscale
from backto.clinical.item_checks import answer_checker, show_input, show_number

ENGINE_VERSION: Final = "1.0.0"

Answer = int | float | str | Sequence[int | float] | None
Value = int | Decimal  # an exact total: an integer sum, or a decimal rounded to one place

_CONTEXT: Final = Context(prec=28, rounding=ROUND_HALF_UP)
_TENTH: Final = Decimal("0.1")
_INVALID: Final = object()
_NOT_APPLICABLE: Final = object()


def round_half_away_from_zero(value: Decimal | int) -> Decimal:
    """Round to one decimal, half away from zero (Decimal's ROUND_HALF_UP does exactly that)."""
    return Decimal(value).quantize(_TENTH, rounding=ROUND_HALF_UP, context=_CONTEXT)


# The mean length of a month in days (365.25 / 12): months covered = days / 30.4375.
DAYS_PER_MONTH: Final = Fraction(30_4375, 10_000)


def _round_fraction(value: Fraction) -> Decimal:
    """An exact fraction rounded to one decimal, half away from zero."""
    tenths = math.floor(abs(value) * 10 + Fraction(1, 2))
    return (Decimal(-tenths if value < 0 else tenths) / 10).quantize(_TENTH, context=_CONTEXT)


def _fraction(number: int | float | Decimal | str) -> Fraction:
    if isinstance(number, bool):
        raise ValueError(f"must be a number, not {number!r}")
    return Fraction(repr(number) if isinstance(number, float) else str(number))


def per_months(count: int, months: int | float | Decimal | str, per: int = 3) -> Decimal:
    """A count over `months` as a count per `per` months: count x per / months, rounded half
    away from zero to one decimal, exactly (2 over 3 months -> 2.0; 1 over 5 -> 0.6; 1 over 8
    -> 0.4; 1 over 2 -> 1.5). Refuses months of 0 or less and a negative count."""
    covered = _fraction(months)
    if covered <= 0:
        raise ValueError(f"months covered must be more than 0, got {months}")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"a count must be a whole number 0 or more, got {count!r}")
    return _round_fraction(Fraction(count) * per / covered)


def months_between(start: date, end: date) -> Decimal:
    """The months from `start` to `end`: the days between / 30.4375 (the mean month), rounded
    half away from zero to one decimal (92 days -> 3.0; 61 days -> 2.0; 21 days -> 0.7)."""
    if end < start:
        raise ValueError(f"the end {end} is before the start {start}")
    return _round_fraction(Fraction((end - start).days) / DAYS_PER_MONTH)


def months_covered(rate: RateRule, months_item: Item, since: date | None, until: date) -> Decimal:
    """What BackTo fills as a rate instrument's months covered when a form is completed on
    `until`: `rate.first_months` for the first completed form of the episode (`since` None),
    else the months since the previous one was completed (`months_between`), kept within the
    months item's minValue..maxValue (a form completed the same day as the previous covers its
    minValue)."""
    if since is None:
        return Decimal(rate.first_months).quantize(_TENTH)
    assert months_item.minValue is not None and months_item.maxValue is not None
    low, high = (
        _round_fraction(_fraction(months_item.minValue)),
        _round_fraction(_fraction(months_item.maxValue)),
    )
    return min(max(months_between(since, until), low), high)


def _months_rule(rate: RateRule, months_item: Item) -> str:
    low, high = months_item.minValue, months_item.maxValue
    assert low is not None and high is not None
    return (
        f"{rate.months_item} is filled by BackTo when the form is completed: "
        f"{rate.first_months} for the first completed form of the episode, else the days since "
        f"the previous one was completed / {float(DAYS_PER_MONTH):g}, rounded half away from "
        f"zero to one decimal, kept within {show_number(low)}-{show_number(high)}"
    )


@dataclass(frozen=True)
class ScoreResult:
    """The score of one set of answers to one instrument version."""

    instrument_id: str
    instrument_version: str
    total: Decimal | None
    subscales: dict[str, Decimal | None]
    band: str | None
    prorated: bool
    missing: int
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # why a value is null, what was prorated
    alerts: tuple[str, ...] = ()  # linkIds whose answer is marked safety_alert
    urgent: tuple[str, ...] = ()  # of those, the linkIds whose answer is marked urgent
    rule: str = ""
    engine_version: str = ENGINE_VERSION

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class _Group:
    name: str  # "total" or the subscale name
    size: int
    allowed_missing: int
    method: str
    top: Decimal  # highest item score, for the percent method


class Evaluation(NamedTuple):  # a tuple: cheap to build once per scored line
    """Raw outcome of `CompiledInstrument.evaluate`; `values[0]` is the total when scored."""

    errors: list[str] | None
    values: list[Value | None] = []
    answered: list[int] = []
    not_applicable: list[int] = []
    missing: int = 0


_OptionTable = dict[int | float, object]  # answer value -> scored value, or a marker


class CompiledInstrument:
    """Lookup tables for one instrument, built once, used for every set of answers."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.id = instrument.id
        self.version = instrument.version
        self.disabled_error = (
            None
            if instrument.enabled
            else f"instrument {instrument.id} is disabled: {instrument.disabled_reason}"
        )
        scoring = instrument.scoring
        self.scored = scoring is not None
        self.groups: tuple[_Group, ...] = ()
        self.pending: tuple[Subscale, ...] = ()
        self.subscale_names: tuple[str, ...] = ()
        self.bands: tuple[tuple[Decimal, Decimal | None, str], ...] = ()
        membership: dict[str, list[int]] = {}
        if scoring is not None:
            groups = [(("total", scoring.items, scoring.method))]
            groups += [
                (subscale.name, subscale.items, subscale.method or scoring.method)
                for subscale in scoring.subscales
                if subscale.items is not None
            ]
            built = []
            for index, (name, link_ids, method) in enumerate(groups):
                items = [instrument.item(link_id) for link_id in link_ids]
                if method == "rate":  # counts: never prorated, every item must be answered
                    built.append(_Group(name, len(items), 0, method, Decimal(0)))
                    for link_id in link_ids:
                        membership.setdefault(link_id, []).append(index)
                    continue
                top = max(_decimal(i.scored_value(o)) for i in items for o in i.applicable_options)
                built.append(
                    _Group(name, len(items), scoring.missing.allowed(len(items)), method, top)
                )
                for link_id in link_ids:
                    membership.setdefault(link_id, []).append(index)
            self.groups = tuple(built)
            self.pending = tuple(s for s in scoring.subscales if s.items is None)
            self.subscale_names = tuple(s.name for s in scoring.subscales)
            self.bands = tuple(
                (_decimal(b.lower), None if b.upper is None else _decimal(b.upper), b.label)
                for b in scoring.bands
            )
        self.rate = None if scoring is None else scoring.rate
        self.months_item = None if self.rate is None else self.rate.months_item
        self.choices: dict[str, tuple[_OptionTable, tuple[int, ...]]] = {}
        self.checks: dict[str, Callable[[object], str | None]] = {}
        # the count items of a rate instrument -> the groups they count in
        self.counted: dict[str, tuple[int, ...]] = (
            {link_id: tuple(groups) for link_id, groups in membership.items()}
            if self.rate is not None
            else {}
        )
        self.alerts: dict[str, frozenset[int | float]] = {}
        self.urgent: dict[str, frozenset[int | float]] = {}
        self.allowed_text: dict[str, str] = {}
        for item in instrument.items:
            if item.type == "choice" and not item.repeats:
                self.choices[item.linkId] = (
                    _option_table(item),
                    tuple(membership.get(item.linkId, ())),
                )
                self.allowed_text[item.linkId] = ", ".join(
                    show_number(o.value) for o in item.answerOption
                )
            else:
                self.checks[item.linkId] = answer_checker(instrument.id, item)
            flagged = frozenset(o.value for o in item.answerOption if o.safety_alert)
            if flagged:
                self.alerts[item.linkId] = flagged
            urgent = frozenset(o.value for o in item.answerOption if o.urgent)
            if urgent:
                self.urgent[item.linkId] = urgent
        self.unknown_item_hint = ", ".join(instrument.link_ids)
        self.rule = describe_rule(instrument)

    def unknown_item(self, link_id: object) -> str:
        return f"{self.id} has no item {link_id!r}; its linkIds are {self.unknown_item_hint}"

    def bad_value(self, link_id: str, value: object) -> str:
        return (
            f"item {link_id!r} of {self.id}: {show_input(value)} is not one of its answers; "
            f"allowed: {self.allowed_text[link_id]}"
        )

    def evaluate(self, answers: Mapping[str, object]) -> Evaluation:
        """Check every answer and compute every group (hot path: keep it lean)."""
        if self.disabled_error is not None:
            return Evaluation([self.disabled_error])
        groups = self.groups
        count = len(groups)
        sums: list[Value] = [0] * count
        answered = [0] * count
        not_applicable = [0] * count
        errors: list[str] | None = None
        choices = self.choices
        for link_id, value in answers.items():
            entry = choices.get(link_id)
            if entry is None:
                check = self.checks.get(link_id)
                problem = self.unknown_item(link_id) if check is None else check(value)
                if problem is not None:
                    errors = errors or []
                    errors.append(problem)
                elif value is not None and link_id in self.counted:
                    for index in self.counted[link_id]:
                        sums[index] += int(value)  # type: ignore[call-overload]
                        answered[index] += 1
                continue
            if value is None:
                continue
            kind = value.__class__
            scored = entry[0].get(value, _INVALID) if kind is int or kind is float else _INVALID  # type: ignore[call-overload]
            if scored is _INVALID:
                errors = errors or []
                errors.append(self.bad_value(link_id, value))
            elif scored is _NOT_APPLICABLE:
                for index in entry[1]:
                    not_applicable[index] += 1
            else:
                for index in entry[1]:
                    sums[index] += scored  # type: ignore[operator]
                    answered[index] += 1
        if errors is not None:
            return Evaluation(errors)
        values: list[Value | None] = []
        months = None if self.months_item is None else answers.get(self.months_item)
        for index, group in enumerate(groups):
            n_answered = answered[index]
            missing = group.size - n_answered - not_applicable[index]
            if missing > group.allowed_missing or n_answered == 0:
                values.append(None)
            elif group.method == "rate":
                assert self.rate is not None
                values.append(
                    None
                    if months is None
                    else per_months(sums[index], months, self.rate.per_months)  # type: ignore[arg-type]
                )
            elif group.method == "sum":
                total = sums[index]
                if missing:
                    total = _CONTEXT.divide(Decimal(total * group.size), Decimal(n_answered))
                values.append(total if total.__class__ is int else round_half_away_from_zero(total))
            elif group.method == "mean":
                values.append(
                    round_half_away_from_zero(
                        _CONTEXT.divide(Decimal(sums[index]), Decimal(n_answered))
                    )
                )
            else:
                values.append(
                    round_half_away_from_zero(
                        _CONTEXT.divide(Decimal(sums[index]) * 100, group.top * n_answered)
                    )
                )
        if groups:
            total_missing = groups[0].size - answered[0] - not_applicable[0]
        else:
            total_missing = sum(
                1 for link_id in self.instrument.link_ids if answers.get(link_id) is None
            )
        return Evaluation(None, values, answered, not_applicable, total_missing)

    def band(self, total: Value | None) -> str | None:
        if total is None:
            return None
        for lower, upper, label in self.bands:
            if lower <= total and (upper is None or total < upper):
                return label
        return None


def _decimal(number: int | float) -> Decimal:
    return Decimal(number) if isinstance(number, int) else Decimal(repr(number))


def _exact(number: int | float) -> int | Decimal:
    if isinstance(number, int):
        return number
    return int(number) if number.is_integer() else Decimal(repr(number))


def _option_table(item: Item) -> _OptionTable:
    return {
        option.value: _NOT_APPLICABLE
        if option.not_applicable
        else _exact(item.scored_value(option))
        for option in item.answerOption
    }


def _items(count: int) -> str:
    return "1 item" if count == 1 else f"{count} items"


def compile_instrument(instrument: Instrument) -> CompiledInstrument:
    """The instrument's scoring tables, built on first use and kept with the instrument."""
    compiled = instrument._compiled
    if compiled is None:
        compiled = CompiledInstrument(instrument)
        instrument._compiled = compiled
    assert isinstance(compiled, CompiledInstrument)
    return compiled


def describe_rule(instrument: Instrument) -> str:
    """A one-paragraph, human-readable statement of how this instrument version is scored."""
    head = f"{instrument.id} {instrument.version}, scoring engine {ENGINE_VERSION}: "
    scoring = instrument.scoring
    if scoring is None:
        return head + "not scored (answers are stored and shown as given)."
    n = len(scoring.items)
    if scoring.rate is not None:
        return head + _describe_rate(instrument, scoring.rate) + "."
    allowed = scoring.missing.allowed(n)
    what = {
        "sum": f"sum of {_items(n)}",
        "mean": f"mean of {_items(n)}",
        "percent": f"percentage of the highest item score over {_items(n)}",
    }[scoring.method]
    parts = [
        f"{what} (range {show_number(scoring.range.min)}-{show_number(scoring.range.max)}, "
        f"{scoring.direction.replace('_', ' ')})",
        f"up to {allowed} unanswered item{'s' * (allowed != 1)} allowed (floor of "
        f"{scoring.missing.max_fraction:g} x {n})"
        + (
            ", then the mean of the answered items times "
            f"{n}, rounded half away from zero to one decimal (prorated)"
            if scoring.method == "sum" and allowed
            else ""
        ),
    ]
    if scoring.subscales:
        parts.append(
            "subscales: "
            + "; ".join(
                f"{s.name} ({', '.join(s.items) if s.items is not None else 'items to be confirmed'})"
                for s in scoring.subscales
            )
            + " by the same rule"
        )
    if scoring.bands:
        parts.append(
            "bands: "
            + ", ".join(
                f"[{show_number(b.lower)}, {'inf' if b.upper is None else show_number(b.upper)}) {b.label}"
                for b in scoring.bands
            )
        )
    return head + "; ".join(parts) + "."


def _describe_rate(instrument: Instrument, rate: RateRule) -> str:
    scoring = instrument.scoring
    assert scoring is not None
    per, months = rate.per_months, rate.months_item
    parts = [
        f"count per {per} months of {_items(len(scoring.items))}: "
        f"({' + '.join(scoring.items)}) x {per} / {months}, rounded half away from zero to one "
        f"decimal (range {show_number(scoring.range.min)}-{show_number(scoring.range.max)}, "
        f"{scoring.direction.replace('_', ' ')})",
        _months_rule(rate, instrument.item(months)),
        "no unanswered count allowed (a count is never prorated); a total or subscale is null "
        f"while one of its counts or {months} is unanswered",
    ]
    if scoring.subscales:
        parts.append(
            f"subscales per {per} months: "
            + "; ".join(
                f"{s.name} ({' + '.join(s.items) if s.items is not None else 'items to be confirmed'})"
                for s in scoring.subscales
            )
            + f", each x {per} / {months} by the same rule"
        )
    return "; ".join(parts)


def score(instrument: Instrument, answers: Mapping[str, Answer]) -> ScoreResult:
    """Score one set of answers (linkId -> ordinal value, None for unanswered).

    An unknown linkId or a value outside an item's answers is an error naming the linkId and the
    allowed values; nothing is scored then. The order of the answers never matters.
    """
    compiled = compile_instrument(instrument)
    evaluation = compiled.evaluate(answers)
    if evaluation.errors is not None:
        return ScoreResult(
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            total=None,
            subscales={},
            band=None,
            prorated=False,
            missing=0,
            errors=tuple(evaluation.errors),
            rule=compiled.rule,
        )
    notes: list[str] = []
    values = [None if v is None else round_half_away_from_zero(v) for v in evaluation.values]
    for index, group in enumerate(compiled.groups):
        label = "total" if index == 0 else f"subscale {group.name}"
        answered = evaluation.answered[index]
        missing = group.size - answered - evaluation.not_applicable[index]
        if values[index] is None:
            if missing > group.allowed_missing:
                notes.append(
                    f"{label} not computed: {missing} of {_items(group.size)} unanswered; at most "
                    f"{group.allowed_missing} may be missing"
                )
            elif compiled.months_item is not None and answers.get(compiled.months_item) is None:
                notes.append(f"{label} not computed: {compiled.months_item} is not filled in")
            else:
                notes.append(f"{label} not computed: no applicable answers")
        elif missing:
            notes.append(f"{label} prorated from {answered} answered of {_items(group.size)}")
    subscales: dict[str, Decimal | None] = dict.fromkeys(compiled.subscale_names)
    for group, value in zip(compiled.groups[1:], values[1:], strict=True):
        subscales[group.name] = value
    for subscale in compiled.pending:
        notes.append(f"subscale {subscale.name} not computed: {subscale.note}")
    total = values[0] if values else None
    alerts = tuple(
        link_id
        for link_id, flagged in compiled.alerts.items()
        if flagged.intersection(_given(answers.get(link_id)))
    )
    urgent = tuple(
        link_id
        for link_id, flagged in compiled.urgent.items()
        if flagged.intersection(_given(answers.get(link_id)))
    )
    return ScoreResult(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        total=total,
        subscales=subscales,
        band=compiled.band(total),
        prorated=total is not None and evaluation.missing > 0,
        missing=evaluation.missing,
        notes=tuple(notes),
        alerts=alerts,
        urgent=urgent,
        rule=compiled.rule,
    )


def _given(answer: Answer) -> tuple[object, ...]:
    """The values of an answer: one, or each of a multiple choice."""
    if isinstance(answer, list | tuple):
        return tuple(answer)
    return () if answer is None else (answer,)


def band_for(instrument: Instrument, total: Decimal | int | None) -> str | None:
    """The band label of a total: bands are half-open [lower, upper) (FDI 12.9 -> none/minimal)."""
    return compile_instrument(instrument).band(total)
