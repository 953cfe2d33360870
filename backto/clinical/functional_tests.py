"""Functional tests a pediatric pain PT does, and their reference values (issue #19).

Five tests, each with its inputs, units and limits (docs/functional-tests.md has the protocols):

- `6mwt` — 6-minute walk: distance (m), course length (m), rests, and the child's age, sex and
  height for a reference equation;
- `30s-sts` — 30-second sit-to-stand: repetitions (and chair height);
- `tug` — timed up and go: seconds, with the pace the protocol asked for (comfortable or fast);
- `single-leg-stance` — seconds on each leg, eyes open or closed, stopped at a cap of 30 or 60 s;
- `grip` — grip strength: kg for each hand, the best of up to three trials.

Reference values: a number is compared with a reference only when the reference's coefficients or
table have been checked against the paper's own text, or against two independent sources that agree
(docs/functional-tests.md, "Reference values", records the search). **None has been yet**, so every
test is trended on its own: the result is the measure itself, with `no_reference` giving the reason.

The literature search of issue #19 (6-minute walk: Geiger 2007, Ulrich 2013, Li 2007; grip:
Ploegmakers 2013, Bohannon 2017; what each gives and why none ships) is recorded in
docs/functional-tests.md, "Reference values".

So `SIX_MINUTE_WALK_REFERENCE` stays None. The machinery is ready and tested with made-up
coefficients: a `ReferenceEquation` (intercept + age + age² + height per sex) applies only within the
ages and heights of its sample and for a sex it has coefficients for; outside them, or without age,
sex and height, there is no percent and `no_reference` says why (never an extrapolation).

No grip table ships either (`NO_GRIP_REFERENCE`).

Every result carries the test id, the rule applied (as the instruments' `rule` does), the
validated inputs and the engine version, so a number a clinician sees can be traced and recomputed.
Arithmetic is exact (Decimal); measures and percentages are rounded half away from zero to one
decimal. Inputs are validated by pydantic; a problem is an error naming the field and what is
allowed, and nothing is scored then.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from backto.clinical.scoring import round_half_away_from_zero

ENGINE_VERSION: Final = "1.0.0"

Sex = Literal["female", "male"]
Measure = Decimal | int


def _number(value: object) -> object:
    """A JSON number as an exact Decimal: 12.5 stays 12.5 (never 12.4999…); no bools, no text."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return Decimal(repr(value))
    return Decimal(value)


def _whole(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return value


Number = Annotated[Decimal, BeforeValidator(_number)]
Whole = Annotated[int, BeforeValidator(_whole)]


def _field(low: int, high: int, allowed: str, *, above: bool = False) -> Any:
    """A field from `low` (exclusive when `above`) to `high`; `allowed` is shown in errors."""
    if above:
        return Field(gt=low, le=high, description=allowed)
    return Field(ge=low, le=high, description=allowed)


class _Inputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def recorded(self) -> dict[str, object]:
        """The inputs as given (unset optional fields left out), JSON-ready."""
        return {name: _plain(value) for name, value in self.model_dump(exclude_none=True).items()}


class SixMinuteWalkInputs(_Inputs):
    distance_m: Annotated[Number, _field(0, 1200, "metres walked in 6 minutes, 0 to 1200")]
    course_length_m: Annotated[
        Number | None, _field(10, 50, "length of the course in metres, 10 to 50 (often 30 or 20)")
    ] = None
    rests: Annotated[
        Whole | None, _field(0, 20, "number of rests taken, a whole number 0 to 20")
    ] = None
    age_years: Annotated[
        Number | None, _field(2, 25, "age in years at the test, a decimal such as 12.5, 2 to 25")
    ] = None
    sex: Annotated[Sex | None, Field(description='"female" or "male"')] = None
    height_cm: Annotated[Number | None, _field(80, 220, "height in cm, 80 to 220")] = None


class SitToStandInputs(_Inputs):
    repetitions: Annotated[
        Whole, _field(0, 60, "full stands in 30 seconds, a whole number 0 to 60")
    ]
    chair_height_cm: Annotated[Number | None, _field(20, 60, "seat height in cm, 20 to 60")] = None


class TimedUpAndGoInputs(_Inputs):
    seconds: Annotated[
        Number, _field(0, 120, "seconds from 'go' to seated again, above 0 up to 120", above=True)
    ]
    pace: Annotated[
        Literal["comfortable", "fast"],
        Field(description='the pace the protocol asked for: "comfortable" or "fast"'),
    ]


class SingleLegStanceInputs(_Inputs):
    left_s: Annotated[
        Number | None, _field(0, 60, "seconds standing on the left leg, 0 up to the cap")
    ] = None
    right_s: Annotated[
        Number | None, _field(0, 60, "seconds standing on the right leg, 0 up to the cap")
    ] = None
    eyes: Annotated[Literal["open", "closed"], Field(description='"open" or "closed"')] = "open"
    cap_s: Annotated[
        Literal[30, 60], Field(description="the protocol's cap in seconds: 30 or 60")
    ] = 30

    @model_validator(mode="after")
    def _legs_within_cap(self) -> SingleLegStanceInputs:
        if self.left_s is None and self.right_s is None:
            raise ValueError("left_s or right_s: give the seconds for at least one leg")
        for name in ("left_s", "right_s"):
            value = getattr(self, name)
            if value is not None and value > self.cap_s:
                raise ValueError(
                    f"{name}: {value} is above the cap of {self.cap_s} s (cap_s); the timing "
                    "stops at the cap"
                )
        return self


def _trials(value: object) -> object:
    """One value or a list of trials; a single value is one trial."""
    return value if isinstance(value, list) else [_number(value)]


Kilograms = Annotated[Number, Field(ge=0, le=100)]
Trials = Annotated[list[Kilograms], BeforeValidator(_trials), Field(min_length=1, max_length=3)]
_HAND = "kg, 0 to 100: one value, or a list of up to 3 trials (the best counts)"


class GripInputs(_Inputs):
    left_kg: Annotated[Trials | None, Field(description=_HAND)] = None
    right_kg: Annotated[Trials | None, Field(description=_HAND)] = None
    dynamometer: Annotated[
        str | None, Field(max_length=80, description="the dynamometer's make, up to 80 characters")
    ] = None
    handle_position: Annotated[
        Whole | None, _field(1, 5, "the handle position, a whole number 1 to 5")
    ] = None

    @model_validator(mode="after")
    def _one_hand(self) -> GripInputs:
        if self.left_kg is None and self.right_kg is None:
            raise ValueError("left_kg or right_kg: give the strength of at least one hand")
        return self


@dataclass(frozen=True)
class SexCoefficients:
    """predicted (m) = intercept + age·years + age_squared·years² + height_m·height (m)."""

    intercept: Decimal
    age: Decimal
    age_squared: Decimal
    height_m: Decimal


@dataclass(frozen=True)
class ReferenceEquation:
    """A published 6-minute walk reference equation, by sex, valid over its sample's ages and heights.

    `sample` says who the equation was derived from and how they walked (a course walked another
    way is not comparable); `source` says where its coefficients were checked.
    """

    name: str
    citation: str
    sample: str
    source: str
    min_age: Decimal
    max_age: Decimal
    min_height_cm: Decimal
    max_height_cm: Decimal
    by_sex: Mapping[str, SexCoefficients]

    def formula(self, sex: str) -> str:
        c = self.by_sex[sex]
        return (
            f"predicted 6MWD (m, {sex}) = {c.intercept} + {c.age}·age + ({c.age_squared})·age² "
            f"+ {c.height_m}·height (m); valid ages {self.min_age}–{self.max_age} years, heights "
            f"{self.min_height_cm}–{self.max_height_cm} cm ({self.name}; sample: {self.sample}; "
            f"coefficients checked against: {self.source})"
        )

    def does_not_apply(self, sex: str, age_years: Decimal, height_cm: Decimal) -> str | None:
        """Why the equation cannot be used for this child, or None when it can."""
        if sex not in self.by_sex:
            return f"the equation has no coefficients for sex {sex}"
        if not self.min_age <= age_years <= self.max_age:
            return (
                f"age {age_years} is outside the equation's range of "
                f"{self.min_age}–{self.max_age} years"
            )
        if not self.min_height_cm <= height_cm <= self.max_height_cm:
            return (
                f"height {height_cm} cm is outside the heights of the equation's sample, "
                f"{self.min_height_cm}–{self.max_height_cm} cm"
            )
        return None

    def predicted(self, sex: str, age_years: Decimal, height_cm: Decimal) -> Decimal:
        """The predicted distance in metres, exact (round it for display)."""
        c = self.by_sex[sex]
        height = height_cm / 100
        return c.intercept + c.age * age_years + c.age_squared * age_years**2 + c.height_m * height


# None until a pediatric equation's coefficients are checked against the paper's own text, or two
# independent sources that agree (docs/functional-tests.md, "Reference values", has the search of
# issue #19 and why none qualified). Never fill this from memory or a single secondary copy.
SIX_MINUTE_WALK_REFERENCE: ReferenceEquation | None = None

NO_6MWT_EQUATION: Final = (
    "no pediatric reference equation has been checked against its published text yet; the "
    "distance is trended on its own"
)
NO_STS_REFERENCE: Final = (
    "no robust pediatric reference values for the 30-second sit-to-stand; trended on its own"
)
NO_TUG_REFERENCE: Final = (
    "pediatric TUG norms depend on the protocol (pace, encouragement, timing) and none matching "
    "this protocol has been checked; trended on its own"
)
NO_SLS_REFERENCE: Final = (
    "no pediatric single-leg stance reference has been checked for this protocol; trended on its "
    "own"
)
NO_GRIP_REFERENCE: Final = (
    "no pediatric grip strength table by age and sex has been checked against its published "
    "source yet; trended on its own"
)


@dataclass(frozen=True)
class FunctionalTestResult:
    """The result of one functional test: the measure, its reference (if any) and its trace."""

    test_id: str
    values: dict[str, Measure | None]  # the measures, rounded to one decimal (counts stay whole)
    predicted: Decimal | None = None  # the reference's predicted value, to one decimal
    percent_predicted: Decimal | None = None
    reference: str | None = None  # the reference's name
    citation: str | None = None
    no_reference: str | None = None  # why the measure is trended without a reference
    rule: str = ""
    inputs: dict[str, object] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # why a percent is missing, which leg reached the cap
    errors: tuple[str, ...] = ()
    engine_version: str = ENGINE_VERSION

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        """JSON-ready (decimals as numbers), for `backto score` and for storage."""
        return {
            "test": self.test_id,
            "engine_version": self.engine_version,
            "values": {name: _plain(value) for name, value in self.values.items()},
            "predicted": _plain(self.predicted),
            "percent_predicted": _plain(self.percent_predicted),
            "reference": self.reference,
            "citation": self.citation,
            "no_reference": self.no_reference,
            "rule": self.rule,
            "inputs": self.inputs,
            "notes": list(self.notes),
            "error": "; ".join(self.errors) if self.errors else None,
        }


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)  # one-decimal values print back exactly (480.0, 98.4)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _tenth(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_away_from_zero(value)


def six_minute_walk(
    inputs: SixMinuteWalkInputs, *, equation: ReferenceEquation | None = None
) -> FunctionalTestResult:
    """Distance walked, and percent of predicted when a checked reference equation applies.

    `equation` defaults to `SIX_MINUTE_WALK_REFERENCE` (None for now: no percent, with the reason).
    """
    reference = SIX_MINUTE_WALK_REFERENCE if equation is None else equation
    distance = round_half_away_from_zero(inputs.distance_m)
    values: dict[str, Measure | None] = {"distance_m": distance}
    if reference is None:
        return FunctionalTestResult(
            "6mwt",
            values,
            no_reference=NO_6MWT_EQUATION,
            rule="6MWD in metres as measured, half away from zero to 0.1 m; no reference equation",
            inputs=inputs.recorded(),
        )

    def result(
        rule: str, why_not: str | None = None, predicted: Decimal | None = None
    ) -> FunctionalTestResult:
        percent = (
            None if predicted is None else round_half_away_from_zero(distance / predicted * 100)
        )
        return FunctionalTestResult(
            "6mwt",
            values,
            predicted=predicted,
            percent_predicted=percent,
            reference=reference.name,
            citation=reference.citation,
            no_reference=(
                None
                if why_not is None
                else f"{why_not}, so no percent of predicted (never extrapolated); the distance "
                "is trended on its own"
            ),
            rule=rule,
            inputs=inputs.recorded(),
            notes=() if why_not is None else (f"percent of predicted not computed: {why_not}",),
        )

    age, sex, height = inputs.age_years, inputs.sex, inputs.height_cm
    general = f"6MWD in metres; percent of predicted needs age, sex and height ({reference.name})"
    if age is None or sex is None or height is None:
        missing = [n for n in ("age_years", "sex", "height_cm") if getattr(inputs, n) is None]
        return result(general, f"{', '.join(missing)} not given")
    why_not = reference.does_not_apply(sex, age, height)
    if why_not is not None and sex not in reference.by_sex:
        return result(general, why_not)
    rule = (
        f"{reference.formula(sex)}; percent = distance ÷ predicted (to 0.1 m) × 100, "
        "each half away from zero to 0.1"
    )
    if why_not is not None:
        return result(rule, why_not)
    predicted = round_half_away_from_zero(reference.predicted(sex, age, height))
    if predicted <= 0:
        return result(rule, f"the equation predicts {predicted} m")
    return result(rule, predicted=predicted)


def sit_to_stand(inputs: SitToStandInputs) -> FunctionalTestResult:
    """30-second sit-to-stand: the count of full stands."""
    return FunctionalTestResult(
        "30s-sts",
        {"repetitions": inputs.repetitions},
        no_reference=NO_STS_REFERENCE,
        rule="repetitions in 30 seconds as counted; no reference",
        inputs=inputs.recorded(),
    )


def timed_up_and_go(inputs: TimedUpAndGoInputs) -> FunctionalTestResult:
    """Timed up and go: seconds at the pace the protocol asked for (compare like with like)."""
    return FunctionalTestResult(
        "tug",
        {"seconds": round_half_away_from_zero(inputs.seconds)},
        no_reference=NO_TUG_REFERENCE,
        rule=(
            f"seconds as timed, half away from zero to 0.1 s; {inputs.pace} pace; compare only "
            "with tests at the same pace and set-up; no reference"
        ),
        inputs=inputs.recorded(),
    )


def single_leg_stance(inputs: SingleLegStanceInputs) -> FunctionalTestResult:
    """Single-leg stance: seconds on each leg, up to the protocol's cap."""
    notes = tuple(
        f"{side} leg reached the {inputs.cap_s} s cap"
        for side, value in (("left", inputs.left_s), ("right", inputs.right_s))
        if value is not None and value == inputs.cap_s
    )
    return FunctionalTestResult(
        "single-leg-stance",
        {"left_s": _tenth(inputs.left_s), "right_s": _tenth(inputs.right_s)},
        no_reference=NO_SLS_REFERENCE,
        rule=(
            f"seconds per leg as timed, eyes {inputs.eyes}, stopped at {inputs.cap_s} s, half "
            "away from zero to 0.1 s; no reference"
        ),
        inputs=inputs.recorded(),
        notes=notes,
    )


def _best(trials: list[Decimal] | None) -> Decimal | None:
    return None if trials is None else round_half_away_from_zero(max(trials))


def grip_strength(inputs: GripInputs) -> FunctionalTestResult:
    """Grip strength: the best trial of each hand in kg."""
    return FunctionalTestResult(
        "grip",
        {"left_kg": _best(inputs.left_kg), "right_kg": _best(inputs.right_kg)},
        no_reference=NO_GRIP_REFERENCE,
        rule="kg per hand, the best of up to 3 trials, half away from zero to 0.1 kg; no reference",
        inputs=inputs.recorded(),
    )


@dataclass(frozen=True)
class FunctionalTest:
    id: str
    name: str
    inputs: type[_Inputs]
    score: Callable[[Any], FunctionalTestResult]


TESTS: Final[Mapping[str, FunctionalTest]] = {
    test.id: test
    for test in (
        FunctionalTest("6mwt", "6-minute walk test", SixMinuteWalkInputs, six_minute_walk),
        FunctionalTest("30s-sts", "30-second sit-to-stand", SitToStandInputs, sit_to_stand),
        FunctionalTest("tug", "Timed up and go", TimedUpAndGoInputs, timed_up_and_go),
        FunctionalTest(
            "single-leg-stance", "Single-leg stance", SingleLegStanceInputs, single_leg_stance
        ),
        FunctionalTest("grip", "Grip strength", GripInputs, grip_strength),
    )
}


def score_functional_test(test_id: object, data: Mapping[str, object]) -> FunctionalTestResult:
    """Validate one test's inputs (field name -> value, as in a JSON object) and score it.

    An unknown test, an unknown field, a missing or out-of-range value is an error naming the
    field and what is allowed; nothing is scored then. The order of the fields never matters.
    """
    test = TESTS.get(test_id) if isinstance(test_id, str) else None
    if test is None:
        return _failed(
            test_id if isinstance(test_id, str) else "",
            f"test must be one of {', '.join(TESTS)}",
        )
    try:
        inputs = test.inputs.model_validate(dict(data))
    except ValidationError as error:
        return _failed(test.id, *_describe(test, error))
    return test.score(inputs)


def _failed(test_id: str, *errors: str) -> FunctionalTestResult:
    return FunctionalTestResult(test_id, {}, errors=errors)


def _shown(value: object) -> str:
    """A refused value as the person gave it: a number as written, text in quotes."""
    if isinstance(value, str):
        return f"“{value}”" if len(value) <= 30 else f"a text of {len(value)} characters"
    return str(value)


# Pydantic's error types, in our words: what the limit is, when the field has no description.
_LIMIT_WORDS: Final[Mapping[str, Callable[[Mapping[str, object]], str]]] = {
    "greater_than_equal": lambda ctx: f"{ctx['ge']} or more",
    "greater_than": lambda ctx: f"more than {ctx['gt']}",
    "less_than_equal": lambda ctx: f"{ctx['le']} or less",
    "less_than": lambda ctx: f"less than {ctx['lt']}",
    "literal_error": lambda ctx: f"one of {ctx['expected']}",
    "too_long": lambda ctx: f"up to {ctx['max_length']}",
    "too_short": lambda ctx: f"at least {ctx['min_length']}",
    "string_too_long": lambda ctx: f"up to {ctx['max_length']} characters",
}


def _in_our_words(problem: Mapping[str, Any], allowed: str | None) -> str:
    """One pydantic problem as our message: "-5 is not allowed: metres walked in 6 minutes, 0 to
    1200"; "is required; allowed: …"; a check of our own ("must be a number") as it says, with
    what is allowed. The one place pydantic's wording is translated (never shown as it is)."""
    kind = problem["type"]
    if kind == "missing":
        return "is required" + (f"; allowed: {allowed}" if allowed else "")
    if kind == "too_long" and isinstance(problem["input"], list):
        return f"{len(problem['input'])} trials given: {allowed}"
    if kind in _LIMIT_WORDS:
        limit = allowed or _LIMIT_WORDS[kind](problem.get("ctx") or {})
        return f"{_shown(problem['input'])} is not allowed: {limit}"
    if kind == "value_error":
        message = str(problem["msg"]).removeprefix("Value error, ")
        return message + (f"; allowed: {allowed}" if allowed else "")
    return f"{_shown(problem['input'])} is not allowed" + (f": {allowed}" if allowed else "")


def _describe(test: FunctionalTest, error: ValidationError) -> list[str]:
    fields = test.inputs.model_fields
    messages: list[str] = []
    extra: list[str] = []
    for problem in error.errors():
        location = [str(part) for part in problem["loc"]]
        if problem["type"] == "extra_forbidden":
            extra.append(location[0])
            continue
        if not location:  # a rule across fields: its message names the fields itself
            messages.append(f"{test.id}: {str(problem['msg']).removeprefix('Value error, ')}")
            continue
        name = location[0]
        allowed = fields[name].description if name in fields else None
        trials = [f" trial {int(part) + 1}" for part in location[1:] if part.isdigit()]
        if trials and allowed:  # one trial: what one value may be ("kg, 0 to 100")
            allowed = allowed.split(":")[0]
        where = name + "".join(trials)
        messages.append(f"{test.id}: {where}: {_in_our_words(problem, allowed)}")
    if extra:
        messages.append(
            f"{test.id}: unknown field(s) {', '.join(sorted(extra))}; its fields are "
            f"{', '.join(fields)}"
        )
    return messages
