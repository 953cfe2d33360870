"""Instruments as data: the shape of an instrument file and its validation.

One JSON file per instrument under `instrument_files/`, in a shape compatible with a FHIR R4
Questionnaire (items carry `linkId`, `text`, `type`, `required`, `repeats`, `answerOption`,
`enableWhen`) plus what scoring needs: method, subscales, the missing-item rule, bands, direction,
reliable-change parameters, licence and references. A malformed file fails when loaded with an
`InstrumentFileError` naming the file, the field and what is allowed.

Author-copyrighted item text never ships in these files (`licence.text_ships` is false and items
carry only a neutral `label`); a clinic holding the licence installs the text as a pack (see
`instrument_packs.py`). Loading files and the registry of instruments: `instrument_registry.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    model_validator,
)

Respondent = Literal["child", "parent", "clinician"]
ItemType = Literal["choice", "integer", "decimal", "text"]
# "rate": counts per period, for a questionnaire of how often something happened in the time its
# answers cover (the healthcare-use questionnaire: visits per 3 months); see `RateRule`.
Method = Literal["sum", "mean", "percent", "rate"]
Direction = Literal["higher_is_worse", "higher_is_better"]
# Where an instrument is asked: "anywhere" (the family answers at home, or staff enter it), or
# "in_clinic" (its pathway needs a clinician at hand as it is answered, as the ASQ's does: never
# sent to a family, asked at a visit and entered by the care team).
Setting = Literal["anywhere", "in_clinic"]
RESERVED_SUBSCALE_NAMES = frozenset(
    {"id", "instrument", "version", "total", "prorated", "missing", "band", "subscales", "error"}
)


def _strict_number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number (an integer or a decimal), not {value!r}")
    return value


Number = Annotated[int | float, PlainValidator(_strict_number)]
LinkId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=40)]
Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnswerOption(_Model):
    """One answer: the ordinal `value` stored and sent, and what it counts for when scored."""

    value: Number
    label: Text
    score: Number | None = None  # what the answer counts in a total; defaults to `value`
    not_applicable: bool = False  # e.g. "no school that day": neither answered nor missing
    safety_alert: bool = False  # the care team is alerted when this answer is given
    urgent: bool = False  # an acute answer: its alert says so first (needs safety_alert)

    @model_validator(mode="after")
    def _check_urgent(self) -> AnswerOption:
        if self.urgent and not self.safety_alert:
            raise ValueError("an urgent answer raises a safety alert: set safety_alert too")
        return self

    @property
    def scored(self) -> int | float:
        return self.value if self.score is None else self.score


class EnableWhen(_Model):
    question: LinkId
    answer: Number


class Item(_Model):
    linkId: LinkId
    label: Text  # neutral label, always present ("FDI item 1")
    text: Text | None = None  # the question as the respondent reads it, when it may ship
    type: ItemType = "choice"
    repeats: bool = False  # several answers (multiple choice)
    required: bool = True  # a hint for forms; scoring applies the missing-item rule instead
    reverse: bool = False  # scored as (lowest + highest option) - value
    answerOption: tuple[AnswerOption, ...] = ()
    minValue: Number | None = None
    maxValue: Number | None = None
    enableWhen: tuple[EnableWhen, ...] = ()
    note: Text | None = None
    # Filled by BackTo when the form is completed, never asked (the months a count covers):
    # forms leave it out; it is stored with the answers, so a score is recomputed from them.
    system: bool = False

    @model_validator(mode="after")
    def _check_kind(self) -> Item:
        if self.system and (self.type not in ("integer", "decimal") or self.enableWhen):
            raise ValueError(
                "a system item (filled by BackTo) must be an integer or decimal item without "
                "enableWhen"
            )
        if self.type == "choice":
            if len(self.answerOption) < 2:
                raise ValueError("a choice item needs at least 2 answerOption entries")
            values = [option.value for option in self.answerOption]
            if len(set(values)) != len(values):
                raise ValueError(f"answerOption values must be unique, got {values}")
            if not any(not option.not_applicable for option in self.answerOption):
                raise ValueError("at least one answerOption must not be not_applicable")
            if self.minValue is not None or self.maxValue is not None:
                raise ValueError("minValue/maxValue are for integer and decimal items only")
        else:
            if self.answerOption:
                raise ValueError(f"answerOption is for choice items only, not {self.type!r}")
            if self.reverse or self.repeats:
                raise ValueError("reverse and repeats are for choice items only")
        if self.type in ("integer", "decimal") and (
            self.minValue is None or self.maxValue is None or self.minValue >= self.maxValue
        ):
            raise ValueError(f"a {self.type} item needs minValue < maxValue")
        if self.type == "text" and (self.minValue is not None or self.maxValue is not None):
            raise ValueError("minValue/maxValue are for integer and decimal items only")
        return self

    def enabled_by(self, answers: Mapping[str, Any]) -> bool:
        """Whether the item is asked, given the other answers (FHIR enableWhen, any of)."""
        return not self.enableWhen or any(
            answers.get(c.question) == c.answer for c in self.enableWhen
        )

    def alerts_on(self, value: Any) -> bool:
        """Whether this answer (one value, or the values of a multiple choice) is a safety
        answer."""
        given = value if isinstance(value, list | tuple) else (value,)
        return any(o.safety_alert and o.value in given for o in self.answerOption)

    @property
    def asks_urgently(self) -> bool:
        """Whether an answer to this item can be urgent (the ASQ's acuity question)."""
        return any(option.urgent for option in self.answerOption)

    @property
    def applicable_options(self) -> tuple[AnswerOption, ...]:
        return tuple(option for option in self.answerOption if not option.not_applicable)

    def scored_value(self, option: AnswerOption) -> int | float:
        """The option's contribution to a total, reversed when the item says so."""
        if not self.reverse:
            return option.scored
        scores = [candidate.scored for candidate in self.applicable_options]
        return min(scores) + max(scores) - option.scored


class AgeRange(_Model):
    min: Annotated[int, Field(ge=0, le=120)]
    max: Annotated[int, Field(ge=0, le=120)]


class Licence(_Model):
    holder: Text
    terms: Text
    text_ships: bool  # may the item text be redistributed in this software?
    url: Text | None = None


class Band(_Model):
    """A half-open interval [lower, upper) of the total; upper null means no upper limit."""

    lower: Number
    upper: Number | None
    label: Text

    def contains(self, value: Any) -> bool:
        return self.lower <= value and (self.upper is None or value < self.upper)


class Subscale(_Model):
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
    items: tuple[LinkId, ...] | None  # None: the item list awaits confirmation (see note)
    method: Method | None = None  # defaults to the instrument's method
    note: Text | None = None


class MissingRule(_Model):
    """At most floor(max_fraction x number of items) may be unanswered (CLINICAL.md: 20%)."""

    max_fraction: Annotated[float, Field(ge=0, le=1)] = 0.2

    def allowed(self, n_items: int) -> int:
        return int(Fraction(str(self.max_fraction)) * n_items)  # floor, exactly


class ScoreRange(_Model):
    min: Number
    max: Number


class ReliableChangeParameters(_Model):
    """Jacobson & Truax (1991): SD of a clinical baseline sample and the reliability r."""

    sd: Annotated[float, Field(gt=0)]
    r: Annotated[float, Field(gt=0, lt=1)]
    source: Text


class MinimalImportantChange(_Model):
    points: Annotated[float, Field(gt=0)] | None = None
    percent: Annotated[float, Field(gt=0, lt=100)] | None = None
    source: Text


class NormativeData(_Model):
    """Means and SDs of a functional (0) and a clinical (1) sample, for the cut-off c."""

    functional_mean: float
    functional_sd: Annotated[float, Field(gt=0)]
    clinical_mean: float
    clinical_sd: Annotated[float, Field(gt=0)]
    source: Text


class Recovery(_Model):
    """'Recovered': reliable improvement and a total below `below` (FDI: 13)."""

    below: Number
    source: Text


class RateRule(_Model):
    """How the method "rate" turns counts into counts per period: each group's count (the sum
    of its integer items) x `per_months` / the months covered, rounded half away from zero to
    one decimal. The months covered are the answer to `months_item`, a system item BackTo fills
    when the form is completed: `first_months` for the first completed form of an episode (its
    questions ask about that many months), else the time since the previous one was completed
    (`scoring.months_covered`)."""

    per_months: Annotated[int, Field(gt=0)]
    months_item: LinkId
    first_months: Annotated[int, Field(gt=0)]


class Scoring(_Model):
    method: Method
    items: tuple[LinkId, ...] = Field(min_length=1)
    subscales: tuple[Subscale, ...] = ()
    missing: MissingRule = MissingRule()
    range: ScoreRange
    bands: tuple[Band, ...] = ()
    bands_source: Text | None = None
    direction: Direction
    reliable_change: ReliableChangeParameters | None = None
    minimal_important_change: MinimalImportantChange | None = None
    normative: NormativeData | None = None
    recovery: Recovery | None = None
    rate: RateRule | None = None  # required by, and only for, the method "rate"
    note: Text | None = None

    @model_validator(mode="after")
    def _check_bands(self) -> Scoring:
        if (self.method == "rate") != (self.rate is not None):
            raise ValueError('the method "rate" needs scoring.rate, and only it may have one')
        previous: Band | None = None
        for band in self.bands:
            if band.upper is not None and band.upper <= band.lower:
                raise ValueError(f"band {band.label!r}: upper must be greater than lower")
            if previous is not None and (previous.upper is None or band.lower < previous.upper):
                raise ValueError(
                    f"bands must be in ascending order without overlap: {band.label!r} starts "
                    f"at {band.lower}, before {previous.label!r} ends"
                )
            if not self.range.min <= band.lower <= self.range.max:
                raise ValueError(
                    f"band {band.label!r}: lower {band.lower} lies outside the range "
                    f"{self.range.min}..{self.range.max}"
                )
            previous = band
        names = [subscale.name for subscale in self.subscales]
        if len(set(names)) != len(names):
            raise ValueError(f"subscale names must be unique, got {names}")
        labels = [band.label for band in self.bands]
        if len(set(labels)) != len(labels):
            raise ValueError(f"band labels must be unique, got {labels}")
        reserved = sorted(set(names) & RESERVED_SUBSCALE_NAMES)
        if reserved:
            raise ValueError(f"subscale names {reserved} are reserved for the output columns")
        if self.bands and self.bands_source is None:
            raise ValueError("bands need a bands_source (where the cut-offs come from)")
        return self


class PackInfo(_Model):
    """Where the item text of a licensed instrument came from (set when a pack is applied)."""

    source: Text
    licensed_to: Text | None = None


LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
AnswerValue = Annotated[str, Field(pattern=r"^-?\d+(\.\d+)?$", max_length=20)]


class Translation(_Model):
    """The instrument's words in another language (`translations` in an instrument file).

    `items` words every item by linkId; each choice item's answers are labelled by `answers`
    (per item, keyed by answer value) or, for the items without an entry there, by
    `option_labels` (keyed by answer value, for items sharing one set of answers). Every linkId
    and every answer value must be named, and nothing else. Scoring never changes with language.
    """

    source: Text  # who wrote these words ("BackTo project", or the holder of the instrument)
    validated: bool  # a validated translation (the holder's), or not
    title: Text
    recall_period: Text | None = None  # required when the instrument has a recall period
    instructions: Text | None = None  # required when the instrument has instructions
    items: dict[LinkId, Text]
    option_labels: dict[AnswerValue, Text] | None = None
    answers: dict[LinkId, dict[AnswerValue, Text]] = {}


class Wording(_Model):
    """Set on an instrument worded in a translation: who wrote the words, and whether they are a
    validated translation (see instrument_languages.py)."""

    source: Text
    validated: bool


class Instrument(_Model):
    """One instrument file. See docs/instruments.md for every field."""

    resourceType: Literal["Questionnaire"] = "Questionnaire"
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    title: Text
    description: Text
    respondent: Respondent
    age_range: AgeRange
    recall_period: Text | None = None
    instructions: Text | None = None  # shown above the questions, where its wording may ship
    setting: Setting = "anywhere"
    at_baseline: bool = True  # false for a question about change since the program began
    enabled: bool = True
    disabled_reason: Text | None = None
    licence: Licence
    references: tuple[Text, ...] = Field(min_length=1)
    notes: tuple[Text, ...] = ()
    items: tuple[Item, ...] = Field(min_length=1)
    scoring: Scoring | None
    pack: PackInfo | None = None
    language: LanguageCode = "en"  # the language of title, instructions, item and answer words
    translations: dict[LanguageCode, Translation] = {}  # see Translation
    wording: Wording | None = None  # set when the words are a translation

    _compiled: Any = PrivateAttr(default=None)  # scoring tables, built once (see scoring.py)

    @model_validator(mode="after")
    def _check_consistency(self) -> Instrument:
        if self.enabled and self.disabled_reason is not None:
            raise ValueError("disabled_reason is only for an instrument with enabled: false")
        if not self.enabled and self.disabled_reason is None:
            raise ValueError("an instrument with enabled: false needs a disabled_reason")
        if self.age_range.min > self.age_range.max:
            raise ValueError("age_range.min must not exceed age_range.max")
        by_id = _unique_items(self.items)
        _check_text_licence(self)
        for item in self.items:
            for condition in item.enableWhen:
                target = by_id.get(condition.question)
                if target is None or target.type != "choice":
                    raise ValueError(
                        f"item {item.linkId!r}: enableWhen.question must be a choice item of "
                        f"this instrument, not {condition.question!r}"
                    )
                if condition.answer not in {option.value for option in target.answerOption}:
                    raise ValueError(
                        f"item {item.linkId!r}: enableWhen.answer {condition.answer} is not an "
                        f"answer of item {target.linkId!r}"
                    )
        if self.scoring is not None:
            _check_scoring(self.scoring, by_id)
        _check_translations(self)
        return self

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    @property
    def link_ids(self) -> tuple[str, ...]:
        return tuple(item.linkId for item in self.items)

    @property
    def asked_items(self) -> tuple[Item, ...]:
        """The items a form shows: all but the system items, which BackTo fills."""
        return tuple(item for item in self.items if not item.system)

    @property
    def covers_time_since_last_asked(self) -> bool:
        """Its answers count what happened since it was last asked (the method "rate"): it is
        asked at baseline, at discharge and at each follow-up, never during the program."""
        return self.scoring is not None and self.scoring.rate is not None

    @property
    def text_available(self) -> bool:
        """True when every item has its text (shipped, or installed from a pack)."""
        return all(item.text is not None for item in self.items)

    @property
    def shared_answers(self) -> tuple[AnswerOption, ...] | None:
        """The answers of the choice items when they all share one set of answer values (a
        pack's option_labels relabel them all alike): the first item's; else None."""
        choice = [item.answerOption for item in self.items if item.type == "choice"]
        values = {tuple(option.value for option in options) for options in choice}
        return choice[0] if len(values) == 1 else None

    def asked(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """The answers without empty ones and without answers to items an enableWhen switches
        off, but a safety answer is never dropped: an acute "yes" to the ASQ's fifth question
        counts whatever was answered before it. Unknown linkIds stay, for scoring to refuse by
        name."""
        by_id = {item.linkId: item for item in self.items}
        return {
            link_id: value
            for link_id, value in answers.items()
            if value not in (None, "", [])
            and (
                link_id not in by_id
                or by_id[link_id].enabled_by(answers)
                or by_id[link_id].alerts_on(value)
            )
        }

    def urgent_unanswered(self, answers: Mapping[str, Any]) -> list[Item]:
        """The items asked (given these answers) whose answer can be urgent and is missing: a
        form is not finished without them (the ASQ's acuity question after a positive screen)."""
        return [
            item
            for item in self.items
            if item.asks_urgently
            and item.enabled_by(answers)
            and answers.get(item.linkId) in (None, "", [])
        ]

    def item(self, link_id: str) -> Item:
        for item in self.items:
            if item.linkId == link_id:
                return item
        raise KeyError(f"{self.id} has no item {link_id!r}")


def _unique_items(items: Sequence[Item]) -> dict[str, Item]:
    by_id: dict[str, Item] = {}
    for item in items:
        if item.linkId in by_id:
            raise ValueError(f"linkId {item.linkId!r} appears twice; linkIds must be unique")
        by_id[item.linkId] = item
    return by_id


def _check_text_licence(instrument: Instrument) -> None:
    with_text = [item.linkId for item in instrument.items if item.text is not None]
    if instrument.licence.text_ships:
        missing = [item.linkId for item in instrument.items if item.text is None]
        if missing:
            raise ValueError(f"licence.text_ships is true, so every item needs text; {missing}")
    elif (with_text or instrument.instructions is not None) and instrument.pack is None:
        raise ValueError(
            "licence.text_ships is false: items must carry only a neutral label, no text "
            f"and no instructions (found text on {with_text or 'the instructions'}); a licensed "
            "clinic installs the text as a pack"
        )


def _answer_key(value: int | float) -> str:
    """An answer value as a key of a translation's labels, as packs key them: 2 -> "2"."""
    return str(value)


def answer_label_problems(
    instrument: Instrument,
    where: str,
    option_labels: Mapping[str, str] | None,
    answers: Mapping[str, Mapping[str, str]],
    *,
    required: bool,
) -> list[str]:
    """What answer labels (per item in `answers`, else the shared `option_labels`) lack or have
    in excess, naming each linkId and answer value. `required`: every choice item must be
    labelled (a translation); else an item without labels keeps its own."""
    problems = []
    choice = {item.linkId: item for item in instrument.items if item.type == "choice"}
    for link_id in answers:
        if link_id not in choice:
            problems.append(f"{where}.answers: {link_id!r} is not a choice item of this instrument")
    for item in choice.values():
        labels = answers.get(item.linkId, option_labels)
        field = f"answers.{item.linkId}" if item.linkId in answers else "option_labels"
        if labels is None:
            if not required:
                continue
            problems.append(
                f"{where}: item {item.linkId!r} has no answer labels (answers or option_labels)"
            )
            continue
        values = [_answer_key(option.value) for option in item.answerOption]
        missing = [value for value in values if value not in labels]
        extra = [value for value in labels if value not in values]
        if missing:
            problems.append(
                f"{where}.{field}: item {item.linkId!r} misses answer {', '.join(missing)}"
            )
        if extra and field != "option_labels":
            problems.append(
                f"{where}.{field}: {', '.join(extra)} not an answer of item {item.linkId!r}"
            )
    if option_labels is not None:
        shared = {
            _answer_key(option.value)
            for item in choice.values()
            if item.linkId not in answers
            for option in item.answerOption
        }
        extra = [value for value in option_labels if value not in shared]
        if extra:
            problems.append(
                f"{where}.option_labels: {', '.join(extra)} not an answer of the items it labels"
            )
    return problems


def translation_problems(instrument: Instrument, language: str, words: Translation) -> list[str]:
    """What a translation lacks or has in excess against the instrument, naming each linkId and
    answer value; empty when it words the instrument exactly."""
    where = f"translations.{language}"
    problems = []
    expected = list(instrument.link_ids)
    missing = [link_id for link_id in expected if link_id not in words.items]
    extra = [link_id for link_id in words.items if link_id not in expected]
    if missing:
        problems.append(f"{where}.items: missing linkId {', '.join(map(repr, missing))}")
    if extra:
        problems.append(
            f"{where}.items: {', '.join(map(repr, extra))} not a linkId of this instrument"
        )
    for field in ("instructions", "recall_period"):
        if (getattr(instrument, field) is None) != (getattr(words, field) is None):
            problems.append(
                f"{where}.{field}: "
                + (
                    f"required: the instrument has a {field}"
                    if getattr(words, field) is None
                    else f"the instrument has no {field} to translate"
                )
            )
    problems.extend(
        answer_label_problems(instrument, where, words.option_labels, words.answers, required=True)
    )
    return problems


def _check_translations(instrument: Instrument) -> None:
    if not instrument.translations:
        return
    if not instrument.licence.text_ships:
        raise ValueError(
            "licence.text_ships is false: an instrument file carries no translations; a clinic "
            "holding the licence installs the holder's translation as a pack with its language"
        )
    problems = []
    for language, words in instrument.translations.items():
        if language == instrument.language:
            problems.append(f"translations.{language}: the instrument is already in {language}")
        problems.extend(translation_problems(instrument, language, words))
    if problems:
        raise ValueError("; ".join(problems))


def _check_scoring(scoring: Scoring, by_id: Mapping[str, Item]) -> None:
    groups = [("scoring.items", scoring.items, scoring.method)]
    for subscale in scoring.subscales:
        if subscale.items is None:
            if subscale.note is None:
                raise ValueError(f"subscale {subscale.name!r}: items null needs a note saying why")
            continue
        groups.append(
            (f"subscale {subscale.name!r}", subscale.items, subscale.method or scoring.method)
        )
    months = _check_rate(scoring, by_id)
    for where, link_ids, method in groups:
        if not link_ids:
            raise ValueError(f"{where}: list at least one linkId")
        if len(set(link_ids)) != len(link_ids):
            raise ValueError(f"{where}: a linkId is listed twice")
        if (method == "rate") != (scoring.method == "rate"):
            raise ValueError(
                f'{where}: the method "rate" is for every group of a rate instrument or none'
            )
        for link_id in link_ids:
            item = by_id.get(link_id)
            if item is None:
                raise ValueError(f"{where}: {link_id!r} is not a linkId of this instrument")
            if method == "rate":
                if item.type != "integer" or item.system or (item.minValue or 0) < 0:
                    raise ValueError(
                        f"{where}: item {link_id!r} must be an integer count (minValue 0 or "
                        "more, not a system item): the method rate counts"
                    )
                continue
            if item.type != "choice" or item.repeats:
                raise ValueError(
                    f"{where}: item {link_id!r} is {item.type}{' (repeats)' * item.repeats}; "
                    "only single-answer choice items can be scored"
                )
            if method == "sum" and len(item.applicable_options) != len(item.answerOption):
                raise ValueError(
                    f"{where}: item {link_id!r} has a not_applicable answer, which only the "
                    "mean and percent methods allow"
                )
    items = [by_id[link_id] for link_id in scoring.items]
    if months is not None and scoring.rate is not None:
        low, high = rate_range(items, months, scoring.rate.per_months)
    else:
        low, high = score_range(scoring.method, items)
    if Fraction(str(scoring.range.min)) != low or Fraction(str(scoring.range.max)) != high:
        raise ValueError(
            f"scoring.range is {scoring.range.min}..{scoring.range.max} but the items give "
            f"{float(low):g}..{float(high):g} with method {scoring.method!r}"
        )


def _check_rate(scoring: Scoring, by_id: Mapping[str, Item]) -> Item | None:
    """The months item of a rate instrument, checked: a system number item above 0, in no group."""
    if scoring.rate is None:
        return None
    link_id = scoring.rate.months_item
    months = by_id.get(link_id)
    if months is None or not months.system or months.minValue is None or months.minValue <= 0:
        raise ValueError(
            f"scoring.rate.months_item: {link_id!r} must be a system item of this instrument "
            "(filled by BackTo) with minValue above 0"
        )
    counted = {*scoring.items, *(i for s in scoring.subscales for i in s.items or ())}
    if link_id in counted:
        raise ValueError(f"scoring.rate.months_item: {link_id!r} is a count of a group")
    assert months.maxValue is not None  # a number item has both bounds (Item._check_kind)
    if not months.minValue <= scoring.rate.first_months <= months.maxValue:
        raise ValueError(
            f"scoring.rate.first_months: {scoring.rate.first_months} lies outside the months "
            f"item's {months.minValue}..{months.maxValue}"
        )
    return months


def rate_range(items: Sequence[Item], months: Item, per: int) -> tuple[Fraction, Fraction]:
    """Lowest and highest possible count per `per` months of `items` (the fewest counts over the
    most months, the most counts over the fewest)."""
    low = sum((Fraction(str(item.minValue)) for item in items), Fraction(0))
    high = sum((Fraction(str(item.maxValue)) for item in items), Fraction(0))
    return low * per / Fraction(str(months.maxValue)), high * per / Fraction(str(months.minValue))


def score_range(method: Method, items: Sequence[Item]) -> tuple[Fraction, Fraction]:
    """Lowest and highest possible score of `items` under `method` (exact fractions)."""
    if method == "rate":
        raise ValueError("the range of a rate needs its months item: use rate_range")
    lows = [
        min(Fraction(str(item.scored_value(o))) for o in item.applicable_options) for item in items
    ]
    highs = [
        max(Fraction(str(item.scored_value(o))) for o in item.applicable_options) for item in items
    ]
    if method == "sum":
        return sum(lows, Fraction(0)), sum(highs, Fraction(0))
    if method == "mean":
        return min(lows), max(highs)
    top = max(highs)
    return (Fraction(100) * min(lows) / top if top else Fraction(0)), Fraction(100)
