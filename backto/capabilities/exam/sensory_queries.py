"""Reads of the sensory, autonomic and motor exam: an episode's exams with their findings, each as
the page shows it. Each read is a fixed number of queries, however many exams. (The allodynia
area over time, compared at one age, is `queries.area_points` and `queries.areas_compared`.)"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from backto.capabilities.exam.models import SensoryExam, SensoryFinding
from backto.clinical.body_map import region
from backto.clinical.criteria_tallies import BUDAPEST_CATEGORIES
from backto.clinical.sensory_exam import STIMULUS_LABELS, allodynia_regions
from backto.clinical.sensory_signs import (
    CATEGORY_LABELS,
    SIGN_LABELS,
    SWELLING_ABOVE_CM,
    TEMPERATURE_FLAG_ABOVE_C,
)


def sensory_exams_of(episode_id: int) -> list[SensoryExam]:
    """The episode's exams, oldest first, with who recorded each and its findings: two queries."""
    findings = Prefetch("findings", queryset=SensoryFinding.objects.order_by("id"))
    return list(
        SensoryExam.objects.filter(episode_id=episode_id)
        .select_related("recorded_by")
        .prefetch_related(findings)
        .order_by("day", "id")
    )


@dataclass(frozen=True)
class SignLine:
    """One Budapest feature as this exam recorded it."""

    label: str
    state: str  # yes, no, unknown


@dataclass(frozen=True)
class CategoryLine:
    label: str
    state: str
    signs: tuple[SignLine, ...]


@dataclass(frozen=True)
class FindingLine:
    """One stimulus tested, in words: the territory's regions by their labels."""

    stimulus: str
    tests: str
    regions: tuple[str, ...]
    percent: Decimal
    evoked_pain: int | None


@dataclass(frozen=True)
class ExamView:
    """One exam as the page shows it, read from what was stored (never recomputed here)."""

    exam: SensoryExam
    findings: Sequence[SensoryFinding]

    @property
    def result(self) -> dict:
        return self.exam.result

    @property
    def temperature_sites(self) -> list[dict[str, object]]:
        typed = self.exam.signs.get("temperatures", [])
        worked = self.result.get("sites", [])
        return [{**t, **w} for t, w in zip(typed, worked, strict=False)]

    @property
    def circumference_sites(self) -> list[dict[str, object]]:
        typed = self.exam.signs.get("circumferences", [])
        worked = self.result.get("circumferences", [])
        return [{**t, **w} for t, w in zip(typed, worked, strict=False)]

    @property
    def categories(self) -> list[CategoryLine]:
        states = self.result.get("sign_categories", {})
        signs = self.result.get("budapest_signs", {})
        flagged = self.result.get("temperature_flagged", False)
        measured = self.result.get("temperature_difference_c") is not None
        lines = []
        for category, features in BUDAPEST_CATEGORIES.items():
            found = []
            for feature in features:
                if feature == "temperature_asymmetry":
                    state = ("yes" if flagged else "no") if measured else "unknown"
                else:
                    state = signs.get(feature, "unknown")
                found.append(SignLine(SIGN_LABELS[feature], state))
            lines.append(
                CategoryLine(
                    CATEGORY_LABELS[category], states.get(category, "unknown"), tuple(found)
                )
            )
        return lines

    @property
    def signs_in_categories(self) -> int:
        return int(self.result.get("signs_in_categories", 0))

    @property
    def finding_lines(self) -> list["FindingLine"]:
        return [
            FindingLine(
                stimulus_label(f),
                "allodynia" if f.kind == "allodynia" else "hyperalgesia to pinprick",
                tuple(region(r).label for r in f.regions),
                f.percent,
                f.evoked_pain,
            )
            for f in self.findings
        ]

    @property
    def allodynia_regions(self) -> list[str]:
        return sorted(allodynia_regions(self.findings))


def exam_views(exams: Sequence[SensoryExam]) -> list[ExamView]:
    return [ExamView(e, list(e.findings.all())) for e in exams]


def stimulus_label(finding: SensoryFinding) -> str:
    label = STIMULUS_LABELS.get(finding.stimulus, finding.stimulus)  # type: ignore[call-overload]
    if finding.monofilament_g is not None:
        return f"{label} {finding.monofilament_g.normalize():f} g"
    return str(label)


THRESHOLDS = {
    "temperature_c": TEMPERATURE_FLAG_ABOVE_C,
    "swelling_cm": SWELLING_ABOVE_CM,
}
