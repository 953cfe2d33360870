"""Screening: the amplified-pain feature checklist, red flags first, localized vs diffuse.

There are no validated AMPS criteria (Sherry, Sonagra, Gmuca, Pediatr Rheumatol 2020;18:72): the
checklist lists features and never concludes. Nothing here says that a child has AMPS, CRPS or
fibromyalgia. Red flags (general pediatric rheumatology practice; a project list, configurable) are
shown before any amplified-pain wording and route to medical evaluation. The family reads
"N features often seen in amplified pain — a clinician must examine your child".

Thirteen items (CLINICAL.md, "Screening items"), each answered yes / no / unknown with a note.
Eleven are features and are tallied; two are descriptors and are not: 10 distribution (the number of
painful regions, localized below 5 and diffuse at 5 or more) and 11 pattern (constant or
intermittent), which take a value instead.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

Tri = Literal["yes", "no", "unknown"]
TRI_VALUES: Final = ("yes", "no", "unknown")
Distribution = Literal["localized", "diffuse"]
PAIN_PATTERNS: Final = ("constant", "intermittent")
DIFFUSE_MIN_REGIONS: Final = 5  # CLINICAL.md: diffuse at 5 or more body regions


class ScreeningError(ValueError):
    """Screening input that cannot be used; the message names the field and what is allowed."""


@dataclass(frozen=True)
class ScreeningItem:
    key: str
    number: int
    label: str
    kind: Literal["feature", "descriptor"] = "feature"


SCREENING_ITEMS: Final = (
    ScreeningItem("duration", 1, "Pain for {months} months or more"),
    ScreeningItem("not_relieved_by_medicines", 2, "Pain not relieved by usual pain medicines"),
    ScreeningItem("no_medical_cause", 3, "No identified medical cause (work-up done or pending)"),
    ScreeningItem(
        "out_of_proportion", 4, "Pain or disability out of proportion to any injury or exam finding"
    ),
    ScreeningItem("allodynia", 5, "Allodynia: pain from light touch"),
    ScreeningItem("hyperalgesia", 6, "Hyperalgesia: extreme pain from something mildly painful"),
    ScreeningItem(
        "vasomotor", 7, "Vasomotor change: skin colour change or asymmetry; temperature asymmetry"
    ),
    ScreeningItem("sudomotor_swelling", 8, "Sudomotor or swelling: swelling, sweating change"),
    ScreeningItem(
        "motor_trophic",
        9,
        "Motor or trophic: reduced range of motion, weakness, tremor, dystonia; hair, nail, skin",
    ),
    ScreeningItem("distribution", 10, "Distribution: number of painful body regions", "descriptor"),
    ScreeningItem("pattern", 11, "Pattern: constant or intermittent", "descriptor"),
    ScreeningItem(
        "associated_symptoms",
        12,
        "Associated symptoms: fatigue, poor sleep, headache, abdominal pain, dizziness",
    ),
    ScreeningItem("functional_impact", 13, "Functional impact: school missed, activities stopped"),
)
FEATURE_KEYS: Final = tuple(item.key for item in SCREENING_ITEMS if item.kind == "feature")


@dataclass(frozen=True)
class RedFlag:
    key: str
    label: str  # for clinicians
    family_label: str  # for families, plain words


DEFAULT_RED_FLAGS: Final = (
    RedFlag("fever", "Fever", "fever"),
    RedFlag("weight_loss", "Unexplained weight loss", "weight loss with no clear reason"),
    RedFlag("night_pain", "Night pain that wakes the child", "pain that wakes your child at night"),
    RedFlag("joint_swelling", "Objective joint swelling or redness", "a swollen or red joint"),
    RedFlag(
        "neurological_deficit",
        "Focal neurological deficit",
        "new weakness, numbness or loss of a skill in one area",
    ),
    RedFlag("abnormal_labs", "Abnormal laboratory results", "abnormal blood or other test results"),
    RedFlag("focal_bone_pain", "Focal bone pain", "pain in one spot on a bone"),
)


@dataclass(frozen=True)
class ScreeningConfig:
    """Clinic-configurable screening values, with the CLINICAL.md defaults."""

    min_duration_months: int = 3  # programs use 3 or 6 months
    red_flags: tuple[RedFlag, ...] = DEFAULT_RED_FLAGS
    diffuse_min_regions: int = DIFFUSE_MIN_REGIONS

    def __post_init__(self) -> None:
        if self.min_duration_months < 1:
            raise ScreeningError("min_duration_months must be at least 1")
        if not self.red_flags:
            raise ScreeningError("red_flags must list at least one red flag")
        keys = [flag.key for flag in self.red_flags]
        if len(set(keys)) != len(keys):
            raise ScreeningError(f"red flag keys must be unique, got {keys}")


def screening_config_from_data(data: Mapping[str, object]) -> ScreeningConfig:
    """A ScreeningConfig from clinic settings, e.g. {"min_duration_months": 6, "red_flags": [...]}."""
    allowed = {"min_duration_months", "red_flags", "diffuse_min_regions"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ScreeningError(f"unknown screening setting(s) {unknown}; allowed: {sorted(allowed)}")
    defaults = ScreeningConfig()
    months = data.get("min_duration_months", defaults.min_duration_months)
    regions = data.get("diffuse_min_regions", defaults.diffuse_min_regions)
    for name, value in (("min_duration_months", months), ("diffuse_min_regions", regions)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScreeningError(f"{name} must be a whole number, not {value!r}")
    raw_flags = data.get("red_flags")
    flags = defaults.red_flags
    if raw_flags is not None:
        if not isinstance(raw_flags, list) or not all(
            isinstance(flag, dict) and set(flag) == {"key", "label", "family_label"}
            for flag in raw_flags
        ):
            raise ScreeningError(
                "red_flags must be a list of objects with exactly key, label and family_label"
            )
        flags = tuple(
            RedFlag(str(f["key"]), str(f["label"]), str(f["family_label"])) for f in raw_flags
        )
    return ScreeningConfig(
        min_duration_months=months,  # type: ignore[arg-type]
        red_flags=flags,
        diffuse_min_regions=regions,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class ScreeningAnswer:
    """One answer: yes / no / unknown and a note; descriptors (10, 11) carry a value instead."""

    answer: Tri = "unknown"
    note: str = ""
    value: int | str | None = None  # item 10: number of painful regions; item 11: the pattern


def add_months(start: date, months: int) -> date:
    """`start` plus whole calendar months, clamped to the end of a shorter month."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def pain_duration_answer(
    onset: date | None, assessed_on: date, config: ScreeningConfig | None = None
) -> ScreeningAnswer:
    """Item 1 from the stored onset date: yes once the configured number of months has passed."""
    months = (config or ScreeningConfig()).min_duration_months
    if onset is None:
        return ScreeningAnswer("unknown", "onset date not recorded")
    if onset > assessed_on:
        raise ScreeningError(f"onset {onset} is after the assessment date {assessed_on}")
    answer: Tri = "yes" if add_months(onset, months) <= assessed_on else "no"
    return ScreeningAnswer(answer, f"onset {onset.isoformat()}, assessed {assessed_on.isoformat()}")


def classify_distribution(
    region_count: int, *, diffuse_min_regions: int = DIFFUSE_MIN_REGIONS
) -> Distribution:
    """'diffuse' at 5 or more painful body regions, otherwise 'localized' (CLINICAL.md)."""
    if isinstance(region_count, bool) or not isinstance(region_count, int) or region_count < 1:
        raise ScreeningError(
            f"region_count must be a whole number of painful regions, 1 or more, not {region_count!r}"
        )
    return "diffuse" if region_count >= diffuse_min_regions else "localized"


def _check_answers(
    answers: Mapping[str, ScreeningAnswer], allowed: Iterable[str], what: str
) -> None:
    allowed = tuple(allowed)
    for key, answer in answers.items():
        if key not in allowed:
            raise ScreeningError(f"unknown {what} {key!r}; allowed: {', '.join(allowed)}")
        if answer.answer not in TRI_VALUES:
            raise ScreeningError(f"{what} {key!r}: answer must be yes, no or unknown")


@dataclass(frozen=True)
class ScreeningSummary:
    """Red flags first, then the feature tally; wording for families and for clinicians."""

    route: Literal["medical_evaluation", "clinician_examination"]
    red_flags_present: tuple[str, ...]
    red_flags_unchecked: tuple[str, ...]
    features_present: tuple[str, ...]
    features_unknown: tuple[str, ...]
    feature_count: int
    distribution: Distribution | None
    region_count: int | None
    pattern: str | None
    notes: Mapping[str, str] = field(default_factory=dict)
    family_lines: tuple[str, ...] = ()
    clinician_lines: tuple[str, ...] = ()


def family_feature_sentence(count: int) -> str:
    noun = "feature" if count == 1 else "features"
    return f"{count} {noun} often seen in amplified pain — a clinician must examine your child."


def summarize_screening(
    answers: Mapping[str, ScreeningAnswer],
    red_flags: Mapping[str, ScreeningAnswer],
    config: ScreeningConfig | None = None,
) -> ScreeningSummary:
    """Summarize the 13 screening items and the red flags; never a diagnosis."""
    config = config or ScreeningConfig()
    _check_answers(answers, (item.key for item in SCREENING_ITEMS), "screening item")
    flags_by_key = {flag.key: flag for flag in config.red_flags}
    _check_answers(red_flags, flags_by_key, "red flag")

    def answer_of(key: str, source: Mapping[str, ScreeningAnswer]) -> Tri:
        given = source.get(key)
        return "unknown" if given is None else given.answer

    present = [f for f in config.red_flags if answer_of(f.key, red_flags) == "yes"]
    unchecked = [f for f in config.red_flags if answer_of(f.key, red_flags) == "unknown"]
    labels = {
        item.key: item.label.format(months=config.min_duration_months) for item in SCREENING_ITEMS
    }
    yes = [labels[key] for key in FEATURE_KEYS if answer_of(key, answers) == "yes"]
    unknown = [labels[key] for key in FEATURE_KEYS if answer_of(key, answers) == "unknown"]

    distribution_answer = answers.get("distribution")
    region_count = None if distribution_answer is None else distribution_answer.value
    distribution: Distribution | None = None
    if region_count is not None:
        if not isinstance(region_count, int):
            raise ScreeningError(
                f"distribution: value must be the number of regions, not {region_count!r}"
            )
        distribution = classify_distribution(
            region_count, diffuse_min_regions=config.diffuse_min_regions
        )
    pattern_answer = answers.get("pattern")
    pattern = None if pattern_answer is None else pattern_answer.value
    if pattern is not None and pattern not in PAIN_PATTERNS:
        raise ScreeningError(f"pattern: value must be constant or intermittent, not {pattern!r}")

    family: list[str] = []
    clinician: list[str] = []
    if present:
        family.append(
            "Please arrange a medical evaluation first. Some answers need a doctor's check: "
            + ", ".join(flag.family_label for flag in present)
            + "."
        )
        clinician.append(
            "Red flags present: "
            + ", ".join(flag.label for flag in present)
            + ". Route to medical evaluation before anything else."
        )
    if unchecked:
        family.append(
            "A doctor still needs to check: " + ", ".join(f.family_label for f in unchecked) + "."
        )
        clinician.append(
            "Red flags not yet checked: " + ", ".join(f.label for f in unchecked) + "."
        )
    if not present and not unchecked:
        clinician.append("Red flags: none found.")
    family.append(family_feature_sentence(len(yes)))
    clinician.append(
        f"Features often seen in amplified pain: {len(yes)} of {len(FEATURE_KEYS)} present"
        + (f" ({'; '.join(yes)})" if yes else "")
        + (f"; {len(unknown)} unknown" if unknown else "")
        + ". A screening tally only: the physician confirms or rules out any condition."
    )
    if distribution is not None:
        clinician.append(f"Distribution: {distribution} ({region_count} painful regions).")
    if pattern is not None:
        clinician.append(f"Pattern: {pattern}.")
    notes = {key: answer.note for key, answer in answers.items() if answer.note}
    notes.update(
        {f"red_flag:{key}": answer.note for key, answer in red_flags.items() if answer.note}
    )
    return ScreeningSummary(
        route="medical_evaluation" if present else "clinician_examination",
        red_flags_present=tuple(flag.label for flag in present),
        red_flags_unchecked=tuple(flag.label for flag in unchecked),
        features_present=tuple(yes),
        features_unknown=tuple(unknown),
        feature_count=len(yes),
        distribution=distribution,
        region_count=region_count if isinstance(region_count, int) else None,
        pattern=pattern if isinstance(pattern, str) else None,
        notes=notes,
        family_lines=tuple(family),
        clinician_lines=tuple(clinician),
    )
