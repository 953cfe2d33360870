"""The exam's body map on the progress page and in the reports (issue #19): for the care team the
allodynia area over time (first against latest, percent of body surface with its rule) and the
painful regions and widespread pain index at the questionnaire points; for the family, only
that the area sensitive to touch got smaller, when it did — never a pain number."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from backto.capabilities.exam.body_map_drawing import body_map_svg
from backto.capabilities.exam.charts import nice_ceiling
from backto.capabilities.exam.queries import AreaPoint, MapPoint, PainMapSeries, areas_compared
from backto.clinical.body_map import (
    LUND_BROWDER_COLUMN_FROM_AGE,
    WPI_MAX,
    lund_browder_column,
)
from backto.clinical.desensitization import LADDER, WeekProgress
from backto.clinical.sensory_exam import AreasAtOneAge
from backto.core.charts import Series, line_chart
from backto.readers.progress.charts import PERCENT, Chart, form_word
from backto.readers.progress.functional import day_words, number
from backto.readers.progress.queries import Progress

AREA_RULE = gettext_lazy(
    "Percent of body surface: the allodynia territories of each exam together, each body "
    "region's share of its Lund and Browder part at the child's age on the day "
    "(Lund & Browder 1944; the age's band, never interpolated), rounded to 0.1."
)
REGIONS_RULE = gettext_lazy(
    "Painful regions: the 19 areas of the widespread pain index (Wolfe et al. 2010 and 2016) and, "
    "outside them, a hand, a foot, the head or the genital area, each counted once; WPI: the "
    "number of the 19 areas marked, 0 to 19. The family's line is the child's own map at each "
    "point, or a parent's where the child marked none; a clinician's maps are a line of their own."
)


def age_band(age_years: Decimal) -> str:
    """The Lund and Browder column an age reads from, in words: "10 to 14 years"."""
    column = lund_browder_column(age_years)
    starts = LUND_BROWDER_COLUMN_FROM_AGE
    if column == 0:
        return _("under 1 year")
    if column == len(starts) - 1:
        return _("%(age)s years and over") % {"age": starts[column]}
    return _("%(first)s to %(last)s years") % {
        "first": starts[column],
        "last": starts[column + 1] - 1,
    }


def _percent(value: Decimal) -> str:
    return f"{number(value)}%"


@dataclass(frozen=True)
class AllodyniaArea:
    """The allodynia area over the sensory exams, oldest first, with its chart. Each exam's area
    is stored as recorded at the child's age on its day; the change, the chart and the family's
    words compare every exam's territory at the latest exam's age (`compared`), so that a
    birthday into the next Lund and Browder band is never read as the territory growing."""

    points: Sequence[AreaPoint]
    compared: AreasAtOneAge
    chart: Chart

    @property
    def first(self) -> AreaPoint:
        return self.points[0]

    @property
    def latest(self) -> AreaPoint:
        return self.points[-1]

    @property
    def first_value(self) -> str:
        """The first exam's territory at the latest exam's age (the comparison's first value)."""
        return _percent(self.compared.percents[0])

    @property
    def latest_value(self) -> str:
        return _percent(self.compared.percents[-1])

    @property
    def compared_at(self) -> int:
        """The whole years of the latest exam's age, the one every exam is compared at."""
        return int(self.compared.age_years)

    @property
    def comparison(self) -> str:
        """Which age the comparison uses, and the first exam's area as recorded when its own
        age band gave another number ("" with one exam)."""
        if len(self.points) < 2:
            return ""
        if self.first.percent == self.compared.percents[0]:
            return _("Compared at %(age)s years, the latest exam's age.") % {
                "age": self.compared_at
            }
        return _(
            "Compared at %(age)s years, the latest exam's age; the first exam recorded "
            "%(percent)s at %(first_age)s years (%(band)s band)."
        ) % {
            "age": self.compared_at,
            "percent": _percent(self.first.percent),
            "first_age": int(self.first.age_years),
            "band": age_band(self.first.age_years),
        }

    @property
    def change_words(self) -> str:
        """ "−6 points, smaller", "+1.5 points, larger", "no change" ("" with one exam)."""
        change = self.compared.change
        if change is None:
            return ""
        if change == 0:
            return _("no change")
        points = number(abs(change))
        if change > 0:
            return _("+%(points)s points, larger") % {"points": points}
        return _("−%(points)s points, smaller") % {"points": points}

    @property
    def rule(self) -> str:
        bands = sorted({age_band(p.age_years) for p in self.points})
        words = f"{AREA_RULE} " + _("Age band used: %(bands)s.") % {"bands": ", ".join(bands)}
        if len(self.points) >= 2:
            words += " " + _(
                "Change and chart: every exam's territory at %(age)s years, the latest exam's "
                "age (its %(band)s band)."
            ) % {"age": self.compared_at, "band": age_band(self.compared.age_years)}
        return words


def allodynia_area(points: Sequence[AreaPoint]) -> AllodyniaArea | None:
    """The care team's allodynia area, or None before any exam tested allodynia."""
    compared = areas_compared(points)
    if compared is None:
        return None
    pairs = list(zip(points, compared.percents, strict=True))
    top = nice_ceiling(max(float(c) for _, c in pairs) * 1.1)
    values = ", ".join(f"{p.day:%Y-%m-%d} {number(c)}%" for p, c in pairs)
    title = _("Allodynia area over time")
    age = int(compared.age_years)
    at = _("each exam's territory at %(age)s years, the latest exam's age") % {"age": age}
    svg = (
        line_chart(
            [
                Series(
                    _("Allodynia area, %(percent)s of body surface") % PERCENT,
                    [(p.day, float(c)) for p, c in pairs],
                )
            ],
            title=title,
            description=_("Percent of body surface from 0 to %(top)s, %(at)s; smaller is better.")
            % {"top": f"{top:g}", "at": at}
            + f" {values}.",
            y_min=0.0,
            y_max=top,
        )
        if len(points) >= 2
        else SafeString("")
    )
    chart = Chart(
        key="allodynia",
        title=title,
        svg=svg,
        columns=(
            _("Exam"),
            _("Area as recorded (%(percent)s of body surface)") % PERCENT,
            _("Age band on the day (Lund and Browder)"),
            _("Area at %(age)s years, the latest exam's age") % {"age": age},
        ),
        rows=[
            (f"{p.day:%Y-%m-%d}", number(p.percent), age_band(p.age_years), number(c))
            for p, c in pairs
        ],
        note=_("Smaller is better; the chart shows %(at)s.") % {"at": at} + f" {AREA_RULE}",
    )
    return AllodyniaArea(points, compared, chart)


def _map_rows(who: str, points: Sequence[MapPoint]) -> list[tuple[object, ...]]:
    return [
        (
            f"{p.day:%Y-%m-%d}",
            p.label,
            who if p.respondent != "parent" else _("Family (parent)"),
            p.painful_region_count,
            "—" if p.wpi is None else _("%(wpi)s of %(max)s") % {"wpi": p.wpi, "max": WPI_MAX},
        )
        for p in points
    ]


def painful_regions(maps: PainMapSeries) -> Chart | None:
    """The painful regions (and WPI) at each questionnaire point: the family's line solid, a
    clinician's dashed; None before any map."""
    if not maps:
        return None
    lines = [
        Series(label, [(p.day, float(p.painful_region_count)) for p in points], dashed=dashed)
        for label, points, dashed in (
            (_("Family's map"), maps.family, False),
            (_("Clinician's map"), maps.clinician, True),
        )
        if points
    ]
    counts = [p.painful_region_count for p in (*maps.family, *maps.clinician)]
    top = nice_ceiling(max(max(counts), 1) * 1.1)
    drawn = sum(len(line.points) for line in lines) >= 2
    values = "; ".join(
        f"{line.label}: " + ", ".join(f"{day:%Y-%m-%d} {v:g}" for day, v in line.points)
        for line in lines
    )
    rows = sorted(
        _map_rows(_("Family (child)"), maps.family) + _map_rows(_("Clinician"), maps.clinician),
        key=lambda row: str(row[0]),
    )
    return Chart(
        key="painful-regions",
        title=_("Painful regions"),
        svg=line_chart(
            lines,
            title=_("Painful regions over time"),
            description=_("Painful regions from 0 to %(top)s; fewer is better.")
            % {"top": f"{top:g}"}
            + f" {values}.",
            y_min=0.0,
            y_max=top,
        )
        if drawn
        else SafeString(""),
        columns=(_("Date"), _("When"), _("Marked by"), _("Painful regions"), _("WPI")),
        rows=rows,
        note=str(REGIONS_RULE),
    )


def touch_words(points: Sequence[AreaPoint], *, name: str = "") -> str:
    """The family's plain words when the area sensitive to touch got smaller from the first
    exam to the latest (both territories at the latest exam's age): "the area of your skin that
    is sensitive to touch got smaller since 2 March". Nothing when it did not (never a number,
    never a worse)."""
    compared = areas_compared(points)
    if compared is None or compared.change is None or compared.change >= 0:
        return ""
    since = {"name": name, "day": day_words(points[0].day, points[-1].day)}
    if name:
        return (
            _("the area of %(name)s's skin that is sensitive to touch got smaller since %(day)s")
            % since
        )
    return _("the area of your skin that is sensitive to touch got smaller since %(day)s") % since


def touch_practice(weeks: Sequence[WeekProgress]) -> Chart | None:
    """The desensitization log beside the allodynia area: by week, the roughest texture on the
    ladder the child's skin tolerated (1 softest to 8 roughest: backto/clinical/desensitization.py,
    a project ladder) with the days practised; None before any week was ticked."""
    if not weeks:
        return None
    points = [
        (w.week_start, float(w.roughest.rank)) for w in weeks if w.roughest and w.roughest.rank
    ]
    top = len(LADDER)
    return Chart(
        key="touch-practice",
        title="Touch practice (desensitization) by week",
        svg=line_chart(
            [Series("Roughest texture tolerated (ladder step)", points)],
            title="Touch practice by week",
            description=f"The roughest texture tolerated each week, as its step on the ladder from "
            f"1 ({LADDER[0].label}) to {top} ({LADDER[-1].label}); higher is rougher. "
            + ", ".join(f"{day:%Y-%m-%d} step {v:g}" for day, v in points)
            + ".",
            y_min=0.0,
            y_max=float(top),
        )
        if len(points) >= 2
        else SafeString(""),
        columns=("Week of", "Days practised", "Roughest texture", "Minutes at it", "Other"),
        rows=[
            (
                f"{w.week_start:%Y-%m-%d}",
                w.days,
                f"{w.roughest.label} (step {w.roughest.rank})" if w.roughest else "—",
                w.roughest_minutes if w.roughest_minutes is not None else "—",
                ", ".join(w.others) or "—",
            )
            for w in weeks
        ],
        note="From the family's desensitization log. The ladder of eight textures is the "
        "program's own (softest 1 to roughest 8), not a published scale.",
    )


@dataclass(frozen=True)
class Picture:
    caption: str
    svg: SafeString


@dataclass(frozen=True)
class BodyMapReport:
    """The reports' "Body map": the first and latest pictures side by side (the allodynia
    territory at the first and latest exam; the family's map at the first and latest point),
    the allodynia area before and after with its rule, and the painful regions' source."""

    allodynia: AllodyniaArea | None
    territories: tuple[Picture, ...]
    maps: tuple[Picture, ...]
    first_map: MapPoint | None
    latest_map: MapPoint | None

    @property
    def regions_rule(self) -> str:
        return str(REGIONS_RULE)


def _ends(points: Sequence[Any]) -> list[Any]:
    return [points[0], points[-1]] if len(points) >= 2 else list(points)


def body_map_report(progress: Progress) -> BodyMapReport | None:
    """The reports' body map section, or None without an exam or a map; no query of its own
    (the exams' territories come with `progress.allodynia`)."""
    family = progress.pain_maps.family
    if not progress.allodynia and not family:
        return None
    exams = _ends(progress.allodynia)
    territories = tuple(
        Picture(
            (
                _("First exam, %(day)s: %(area)s of body surface")
                if i == 0 and len(exams) > 1
                else _("Latest exam, %(day)s: %(area)s of body surface")
            )
            % {"day": date_format(p.day, _("j M Y")), "area": _percent(p.percent)},
            body_map_svg(
                dict.fromkeys(p.regions, 1.0),
                title=_("Allodynia territory on %(day)s") % {"day": date_format(p.day, _("j F Y"))},
            ),
        )
        for i, p in enumerate(exams)
    )
    ends = _ends(family)
    maps = tuple(
        Picture(
            ngettext(
                "%(label)s, %(day)s (%(who)s): %(count)s painful region",
                "%(label)s, %(day)s (%(who)s): %(count)s painful regions",
                p.painful_region_count,
            )
            % {
                "label": p.label,
                "day": date_format(p.day, _("j M Y")),
                "who": form_word("child" if p.respondent == "child" else "parent"),
                "count": p.painful_region_count,
            }
            + (
                ""
                if p.wpi is None
                else ", " + _("WPI %(wpi)s of %(max)s") % {"wpi": p.wpi, "max": WPI_MAX}
            ),
            body_map_svg(
                dict.fromkeys(p.regions, 1.0),
                title=_("Where it hurt, %(label)s, %(day)s")
                % {"label": p.label, "day": date_format(p.day, _("j F Y"))},
            ),
        )
        for p in ends
    )
    return BodyMapReport(
        allodynia=allodynia_area(progress.allodynia),
        territories=territories,
        maps=maps,
        first_map=ends[0] if ends else None,
        latest_map=ends[-1] if ends else None,
    )
