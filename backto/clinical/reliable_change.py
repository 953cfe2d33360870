"""Change that matters: reliable change, responders, recovery and the pain NRS minimal change.

- Reliable Change Index (Jacobson & Truax, J Consult Clin Psychol 1991): SEM = SD*sqrt(1 - r);
  S_diff = sqrt(2)*SEM; RCI = (post - pre) / S_diff; |RCI| > 1.96 is reliable change. SD (baseline
  SD of a clinical sample) and r come from the instrument file and travel with every result.
  Project defaults (CLINICAL.md): FDI SD 11, r 0.90 (reliable change about 9.6 points); PCS-C SD 10,
  r 0.87.
- Clinically significant change: cut-off c = (s0*M1 + s1*M0) / (s0 + s1) where normative data exist
  (0 = functional sample, 1 = clinical sample); otherwise a "responder" is a reliable improvement
  and a move to a better severity band (Harrison et al., Clin J Pain 2022).
- "Recovered" on the FDI: reliable improvement and a total below 13 (`scoring.recovery`).
- Pain NRS in adolescents: a change of 1 point or 12.5% is the minimal clinically significant
  change (Hirschfeld et al., J Pain 2014). See `pain_minimal_change` for how it is read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

from backto.clinical.instruments import Direction, Instrument
from backto.clinical.scoring import compile_instrument

RCI_CRITICAL: Final = 1.96
Classification = Literal["reliably improved", "no reliable change", "reliably worse"]
Number = int | float | Decimal


class ChangeError(ValueError):
    """Change cannot be assessed with these inputs; the message says why."""


@dataclass(frozen=True)
class ReliableChange:
    pre: float
    post: float
    change: float  # post - pre
    sd: float
    r: float
    sem: float
    s_diff: float
    rci: float
    threshold: float  # smallest reliable change in points: 1.96 * S_diff
    direction: Direction
    classification: Classification
    source: str = ""

    @property
    def improved(self) -> bool:
        return self.classification == "reliably improved"


def standard_error_of_measurement(sd: float, r: float) -> float:
    _check_parameters(sd, r)
    return sd * math.sqrt(1 - r)


def reliable_change_threshold(sd: float, r: float) -> float:
    """The smallest change, in points, that is reliable: 1.96 x sqrt(2) x SEM (FDI: about 9.6)."""
    return RCI_CRITICAL * math.sqrt(2) * standard_error_of_measurement(sd, r)


def reliable_change_index(pre: Number, post: Number, *, sd: float, r: float) -> float:
    return (float(post) - float(pre)) / (math.sqrt(2) * standard_error_of_measurement(sd, r))


def _check_parameters(sd: float, r: float) -> None:
    if not sd > 0:
        raise ChangeError(f"SD must be above 0, not {sd!r}")
    if not 0 < r < 1:
        raise ChangeError(f"reliability r must lie between 0 and 1 (exclusive), not {r!r}")


def classify_change(
    pre: Number,
    post: Number,
    *,
    sd: float,
    r: float,
    direction: Direction,
    source: str = "",
) -> ReliableChange:
    """Reliable change between two totals, classified with the instrument's direction."""
    sem = standard_error_of_measurement(sd, r)
    s_diff = math.sqrt(2) * sem
    rci = (float(post) - float(pre)) / s_diff
    if abs(rci) <= RCI_CRITICAL:
        classification: Classification = "no reliable change"
    elif (rci < 0) == (direction == "higher_is_worse"):
        classification = "reliably improved"
    else:
        classification = "reliably worse"
    return ReliableChange(
        pre=float(pre),
        post=float(post),
        change=float(post) - float(pre),
        sd=sd,
        r=r,
        sem=sem,
        s_diff=s_diff,
        rci=rci,
        threshold=RCI_CRITICAL * s_diff,
        direction=direction,
        classification=classification,
        source=source,
    )


def instrument_reliable_change(instrument: Instrument, pre: Number, post: Number) -> ReliableChange:
    """Reliable change with the SD and r of the instrument file."""
    scoring = instrument.scoring
    if scoring is None or scoring.reliable_change is None:
        raise ChangeError(
            f"{instrument.id} {instrument.version} has no reliable-change parameters (SD and r)"
        )
    parameters = scoring.reliable_change
    return classify_change(
        pre,
        post,
        sd=parameters.sd,
        r=parameters.r,
        direction=scoring.direction,
        source=parameters.source,
    )


def clinical_cutoff(
    *, functional_mean: float, functional_sd: float, clinical_mean: float, clinical_sd: float
) -> float:
    """Jacobson & Truax cut-off c = (s0*M1 + s1*M0) / (s0 + s1), 0 functional, 1 clinical."""
    if functional_sd <= 0 or clinical_sd <= 0:
        raise ChangeError("both SDs must be above 0")
    return (functional_sd * clinical_mean + clinical_sd * functional_mean) / (
        functional_sd + clinical_sd
    )


@dataclass(frozen=True)
class ChangeAssessment:
    """Reliable change plus the responder and recovered rules, with the rule used for each."""

    reliable_change: ReliableChange
    band_before: str | None
    band_after: str | None
    responder: bool | None  # None: the instrument gives no way to tell (no bands, no norms)
    responder_rule: str
    recovered: bool | None  # None: the instrument has no recovery rule
    recovered_rule: str


def _band_index(instrument: Instrument, total: Number) -> tuple[int | None, str | None]:
    label = compile_instrument(instrument).band(Decimal(str(total)))
    if label is None or instrument.scoring is None:
        return None, None
    labels = [band.label for band in instrument.scoring.bands]
    return labels.index(label), label


def assess_change(instrument: Instrument, pre: Number, post: Number) -> ChangeAssessment:
    """Reliable change, responder and recovered for two totals of the same instrument."""
    change = instrument_reliable_change(instrument, pre, post)
    scoring = instrument.scoring
    assert scoring is not None  # instrument_reliable_change has checked
    worse_is_higher = scoring.direction == "higher_is_worse"
    before_index, band_before = _band_index(instrument, pre)
    after_index, band_after = _band_index(instrument, post)
    responder: bool | None
    if scoring.normative is not None:
        norms = scoring.normative
        cutoff = clinical_cutoff(
            functional_mean=norms.functional_mean,
            functional_sd=norms.functional_sd,
            clinical_mean=norms.clinical_mean,
            clinical_sd=norms.clinical_sd,
        )
        crossed = float(post) < cutoff if worse_is_higher else float(post) > cutoff
        responder = change.improved and crossed
        responder_rule = (
            f"reliable improvement and a total past the cut-off c = {cutoff:.1f} ({norms.source})"
        )
    elif before_index is not None and after_index is not None:
        better = after_index < before_index if worse_is_higher else after_index > before_index
        responder = change.improved and better
        responder_rule = (
            "reliable improvement and a move to a better band (Harrison et al., Clin J Pain 2022)"
        )
    else:
        responder = None
        responder_rule = "not assessable: the instrument has no bands or normative data"
    recovered: bool | None = None
    recovered_rule = "the instrument has no recovery rule"
    if scoring.recovery is not None:
        recovered = change.improved and Decimal(str(post)) < Decimal(str(scoring.recovery.below))
        recovered_rule = f"reliable improvement and a total below {scoring.recovery.below:g} ({scoring.recovery.source})"
    return ChangeAssessment(
        reliable_change=change,
        band_before=band_before,
        band_after=band_after,
        responder=responder,
        responder_rule=responder_rule,
        recovered=recovered,
        recovered_rule=recovered_rule,
    )


MinimalChangeRule = Literal["either", "both", "points", "percent"]


@dataclass(frozen=True)
class PainChange:
    """A pain NRS change judged against the minimal clinically significant change."""

    pre: float
    post: float
    change: float  # post - pre, in points
    percent: float | None  # change as % of pre; None when pre is 0
    meets_points: bool  # |change| >= points
    meets_percent: bool | None  # |percent| >= percent threshold; None when pre is 0
    rule: MinimalChangeRule
    meaningful: bool
    direction: Literal["improved", "worse", "no change"]
    points_threshold: float
    percent_threshold: float
    source: str


HIRSCHFELD_2014: Final = "Hirschfeld et al., J Pain 2014"


def pain_minimal_change(
    pre: Number,
    post: Number,
    *,
    points: float = 1,
    percent: float = 12.5,
    rule: MinimalChangeRule = "either",
    source: str = HIRSCHFELD_2014,
) -> PainChange:
    """Is a change in pain NRS (0-10) at least the minimal clinically significant change?

    Reading of CLINICAL.md ("a change of 1 point or 12.5%"): Hirschfeld et al. derived two cut
    points, a raw change of 1 point and a change of 12.5% of the baseline rating, each valid on its
    own. By default (`rule="either"`) the change is meaningful when either is met; both criteria are
    always reported, and `rule` can require both or just one. Thresholds are inclusive (a change of
    exactly 1 point, or exactly 12.5%, counts). The percentage is relative to the first rating; with
    a first rating of 0 it is undefined and the points criterion stands in for it. The cut points were
    derived for improvement; the same thresholds are applied to worsening and reported as such.
    """
    for name, value in (("pre", pre), ("post", post)):
        if isinstance(value, bool) or not 0 <= float(value) <= 10:
            raise ChangeError(f"{name} must be a pain rating from 0 to 10, not {value!r}")
    before, after = Fraction(str(pre)), Fraction(str(post))
    delta = after - before
    meets_points = abs(delta) >= Fraction(str(points))
    if before == 0:
        change_percent: Fraction | None = None
        meets_percent: bool | None = None
    else:
        change_percent = delta * 100 / before
        meets_percent = abs(change_percent) >= Fraction(str(percent))
    percent_ok = meets_points if meets_percent is None else meets_percent
    meaningful = {
        "either": meets_points or percent_ok,
        "both": meets_points and percent_ok,
        "points": meets_points,
        "percent": percent_ok,
    }[rule]
    direction: Literal["improved", "worse", "no change"] = (
        "no change" if delta == 0 else "improved" if delta < 0 else "worse"
    )
    return PainChange(
        pre=float(pre),
        post=float(post),
        change=float(delta),
        percent=None if change_percent is None else float(change_percent),
        meets_points=meets_points,
        meets_percent=meets_percent,
        rule=rule,
        meaningful=meaningful and delta != 0,
        direction=direction,
        points_threshold=points,
        percent_threshold=percent,
        source=source,
    )


def instrument_minimal_change(instrument: Instrument, pre: Number, post: Number) -> PainChange:
    """`pain_minimal_change` with the thresholds of the instrument file (nrs-pain)."""
    scoring = instrument.scoring
    if scoring is None or scoring.minimal_important_change is None:
        raise ChangeError(f"{instrument.id} {instrument.version} has no minimal important change")
    mic = scoring.minimal_important_change
    if mic.points is None or mic.percent is None:
        raise ChangeError(f"{instrument.id}: minimal_important_change needs points and percent")
    return pain_minimal_change(pre, post, points=mic.points, percent=mic.percent, source=mic.source)
