"""The screening summary of an intake, from the clinical core: red flags first, then the
feature tally; Budapest and ACR tallies when their data are there. Never a diagnosis.

Where each number comes from (docs/program.md): the painful-region count (item 10, localized or
diffuse), the ACR widespread pain index and the regions with pain of 5 come from the baseline body
map when there is one, else from what was typed in the intake; the Budapest signs and the measured
temperature difference come from the intake's sensory exam (`intake_sensory_exam`: the episode's
first, never a later one) where it answers them (yes or no, or a measured difference), else from
what was typed (`merged_signs`, feature by feature); the Budapest symptoms, A and D, and the ACR symptom severity and duration are always the
intake's own. Typed values are kept in the record when the exam takes over (never rewritten), and
each tally says which source it used."""

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backto.capabilities.exam.intake_queries import SIGN_FEATURES, ExamSigns
from backto.capabilities.intake.forms import BUDAPEST_LABELS
from backto.capabilities.intake.models import Intake
from backto.capabilities.intake.queries import TallySources, tally_sources
from backto.capabilities.intake.screening_forms import red_flag_words
from backto.clinical.criteria_tallies import (
    AcrTally,
    BudapestInput,
    BudapestTally,
    acr_2010_tally,
    acr_2016_tally,
    budapest_tally,
)
from backto.clinical.screening import (
    ScreeningAnswer,
    ScreeningConfig,
    ScreeningSummary,
    pain_duration_answer,
    summarize_screening,
)


@dataclass(frozen=True)
class IntakeSummary:
    screening: ScreeningSummary
    budapest: BudapestTally | None
    acr_2010: AcrTally | None
    acr_2016: AcrTally | None
    sources: TallySources = field(default_factory=TallySources)
    budapest_source: str = ""  # where the Budapest tally's signs and symptoms came from
    acr_source: str = ""  # where the ACR tallies' numbers came from
    # The screening's family lines in the reader's language (`family_lines`).
    family_lines: tuple[str, ...] = ()


def family_lines(screening: ScreeningSummary, config: ScreeningConfig) -> tuple[str, ...]:
    """What the answers mean, for the family: the clinical core's family lines (red flags first,
    then the feature count), worded here so they can be translated. The red flags are the core's
    findings (`red_flags_present` and `_unchecked` name them by their clinician labels)."""
    by_label = {flag.label: flag for flag in config.red_flags}
    present = [red_flag_words(by_label[label]) for label in screening.red_flags_present]
    unchecked = [red_flag_words(by_label[label]) for label in screening.red_flags_unchecked]
    lines = []
    if present:
        lines.append(
            _(
                "Please arrange a medical evaluation first. Some answers need a doctor's check: "
                "%(signs)s."
            )
            % {"signs": ", ".join(present)}
        )
    if unchecked:
        lines.append(
            _("A doctor still needs to check: %(signs)s.") % {"signs": ", ".join(unchecked)}
        )
    count = screening.feature_count
    lines.append(
        ngettext(
            "%(count)s feature often seen in amplified pain — a clinician must examine your child.",
            "%(count)s features often seen in amplified pain — a clinician must examine your "
            "child.",
            count,
        )
        % {"count": count}
    )
    return tuple(lines)


def map_source(sources: TallySources) -> str:
    """ "from the body map marked on <day> by <who>", or "" without a baseline map."""
    pain_map = sources.pain_map
    if pain_map is None:
        return ""
    return f"from the body map marked on {pain_map.day.isoformat()} by {pain_map.marked_by}"


def _distribution_line(screening: ScreeningSummary, sources: TallySources) -> list[str]:
    """The clinician's lines with the distribution line saying where its count came from."""
    lines = [line for line in screening.clinician_lines if not line.startswith("Distribution:")]
    count = screening.region_count
    if sources.pain_map is not None and count is None:
        line = f"Distribution: no painful region marked, {map_source(sources)}."
    elif count is None:
        return lines
    elif sources.pain_map is not None:
        line = f"Distribution: {screening.distribution} ({count} painful regions, "
        line += f"{map_source(sources)})."
    else:
        line = f"Distribution: {screening.distribution} ({count} painful regions, as typed in the "
        line += "intake)."
    at = next((i for i, text in enumerate(lines) if text.startswith("Pattern:")), len(lines))
    others = [sources.other_maps_line] if sources.other_maps_line else []
    return [*lines[:at], line, *others, *lines[at:]]


@dataclass(frozen=True)
class MergedSigns:
    """The Budapest signs the tally takes, feature by feature: the intake's exam's answer where
    it is yes or no, what was typed in the intake where the exam's is unknown (or there is no
    exam); the same for the temperature difference (measured at the exam, else typed)."""

    signs: dict[str, Any]
    typed: tuple[str, ...]  # the signs answered yes or no from what was typed, not the exam
    temperature_difference_c: Decimal | None
    temperature_typed: bool  # the difference is the typed one (the exam did not measure it)


def merged_signs(budapest: dict[str, Any], exam: ExamSigns | None) -> MergedSigns:
    """Merge the typed signs (`Intake.budapest`) with the intake's exam's, per feature."""
    typed_signs: dict[str, Any] = budapest.get("signs", {})
    typed_diff = budapest.get("temperature_difference_c")
    typed_difference = Decimal(str(typed_diff)) if typed_diff is not None else None
    if exam is None:
        answered = tuple(f for f in SIGN_FEATURES if typed_signs.get(f) in ("yes", "no"))
        return MergedSigns(dict(typed_signs), answered, typed_difference, True)
    signs: dict[str, Any] = {}
    typed: list[str] = []
    for feature in SIGN_FEATURES:
        if exam.answered(feature):
            signs[feature] = exam.signs[feature]
        elif feature in typed_signs:  # the clinical core checks it (intake_save refuses)
            signs[feature] = typed_signs[feature]
            if typed_signs[feature] in ("yes", "no"):
                typed.append(feature)
    if exam.temperature_difference_c is not None:
        return MergedSigns(signs, tuple(typed), exam.temperature_difference_c, False)
    return MergedSigns(signs, tuple(typed), typed_difference, typed_difference is not None)


def _budapest(intake: Intake, sources: TallySources) -> tuple[BudapestTally | None, str]:
    b, exam = intake.budapest, sources.exam
    if not b and exam is None:
        return None, ""
    merged = merged_signs(b, exam)
    difference = merged.temperature_difference_c
    if exam is not None:
        if difference is None:
            shown = "none measured"
        elif merged.temperature_typed:
            shown = f"{difference} °C as typed in the intake, not measured at that exam"
        else:
            shown = f"{difference} °C"
        source = f"Signs from the exam of {exam.day.isoformat()}"
        if exam.after_program_start and exam.program_start is not None:
            source += (
                ", the episode's first, done after the program started on "
                f"{exam.program_start.isoformat()}"
            )
        source += f" (temperature difference: {shown})"
        if merged.typed:
            named = ", ".join(BUDAPEST_LABELS[f].lower() for f in merged.typed)
            source += f"; as typed in the intake where that exam left them unknown: {named}"
        source += "; symptoms, A and D from the intake history."
    else:
        source = (
            "Signs and temperature difference as typed in the intake (no sensory exam yet); "
            "symptoms, A and D from the intake history."
        )
    tally = budapest_tally(
        BudapestInput(
            disproportionate_pain=b.get("disproportionate_pain", "unknown"),
            symptoms=b.get("symptoms", {}),
            signs=merged.signs,
            temperature_difference_c=difference,
            no_better_explanation=b.get("no_better_explanation", "unknown"),
        )
    )
    return tally, source


def _answers(data: dict[str, Any]) -> dict[str, ScreeningAnswer]:
    return {
        key: ScreeningAnswer(
            answer=value.get("answer", "unknown"),
            note=value.get("note", ""),
            value=value.get("value"),
        )
        for key, value in data.items()
    }


def intake_summary(
    intake: Intake, config: ScreeningConfig | None = None, sources: TallySources | None = None
) -> IntakeSummary:
    """The summary, with the exam's numbers where the exam has them. `sources` are read from the
    exam (two queries) unless given, so a page that shows them too reads them once."""
    config = config or ScreeningConfig()
    if sources is None:
        sources = tally_sources(intake.episode_id)
    answers = _answers(intake.screening)
    pain_map = sources.pain_map
    if pain_map is not None:
        # Item 10 from the body map; "nowhere right now" (0) has no localized or diffuse.
        answers.pop("distribution", None)
        if pain_map.painful_region_count:
            answers["distribution"] = ScreeningAnswer("yes", value=pain_map.painful_region_count)
    if intake.onset_date and answers.get("duration", ScreeningAnswer()).answer == "unknown":
        # The stored onset date answers item 1 when nobody answered it directly.
        answers["duration"] = pain_duration_answer(intake.onset_date, timezone.localdate(), config)
    screening = summarize_screening(answers, _answers(intake.red_flags), config)
    screening = replace(screening, clinician_lines=tuple(_distribution_line(screening, sources)))
    budapest, budapest_source = _budapest(intake, sources)
    acr_2010 = acr_2016 = None
    acr = dict(intake.acr)
    if pain_map is not None:
        acr["wpi"], acr["generalized_regions"] = pain_map.wpi, pain_map.generalized_regions
        acr_source = (
            f"WPI {pain_map.wpi} and regions with pain {pain_map.generalized_regions} of 5 "
            f"{map_source(sources)}; SS and symptom duration as typed in the intake."
        )
    else:
        acr_source = "WPI, SS, regions with pain and symptom duration as typed in the intake."
    if acr.get("wpi") is not None and acr.get("ss") is not None:
        acr_2010 = acr_2010_tally(
            wpi=acr["wpi"], ss=acr["ss"], duration_months=acr.get("duration_months")
        )
        acr_2016 = acr_2016_tally(
            wpi=acr["wpi"],
            ss=acr["ss"],
            generalized_regions=acr.get("generalized_regions"),
            duration_months=acr.get("duration_months"),
        )
    return IntakeSummary(
        screening=screening,
        budapest=budapest,
        acr_2010=acr_2010,
        acr_2016=acr_2016,
        sources=sources,
        budapest_source=budapest_source,
        acr_source=acr_source if acr_2010 is not None else "",
        family_lines=family_lines(screening, config),
    )
