"""The functional tests on the progress page and in the reports (issue #19): for the care team
each test's first and latest result, the change and its chart; for the family, what the child
can do in plain words — distance walked and stands, never pain, scores or references."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backto.capabilities.exam.charts import series_chart
from backto.capabilities.exam.queries import Change, FunctionalSeries, Row
from backto.readers.progress.charts import Chart


def number(value: Decimal) -> str:
    """A value as people write it in the reader's language: 520, 480.3, 7.5
    (no trailing zeros, never an exponent)."""
    text = f"{value:f}"
    return str(number_format(Decimal(text.rstrip("0").rstrip(".") if "." in text else text)))


@dataclass(frozen=True)
class FunctionTest:
    """One test (one pace of the timed up and go) as the care team reads it."""

    series: FunctionalSeries
    chart: Chart  # its svg is empty until there are two results to join

    @property
    def title(self) -> str:
        return self.series.title

    @property
    def unit(self) -> str:
        return self.series.measures[0].unit

    @property
    def first(self) -> Row:
        return self.series.rows[0]

    @property
    def latest(self) -> Row:
        return self.series.latest

    @property
    def change(self) -> Change | None:
        return next(iter(self.series.changes), None)

    def value(self, row: Row) -> str:
        found = row.values[0]
        return "—" if found is None else f"{number(found)} {self.unit}"

    @property
    def first_value(self) -> str:
        return self.value(self.first)

    @property
    def latest_value(self) -> str:
        return self.value(self.latest)

    @property
    def change_words(self) -> str:
        """The change in words: "+140 m, better", "−1.5 s, better", "no change" ("" with one
        result)."""
        change = self.change
        if change is None:
            return ""
        if change.better is None:
            return _("no change")
        sign = "+" if change.amount > 0 else "−"
        said = {"change": f"{sign}{number(abs(change.amount))} {self.unit}"}
        return _("%(change)s, better") % said if change.better else _("%(change)s, worse") % said

    @property
    def sources(self) -> str:
        """The trace of its numbers: the test id, the engine versions that scored them and the
        latest result's rule."""
        versions = sorted({row.test.engine_version for row in self.series.rows})
        rule = str(self.latest.result.get("rule", ""))
        variant = f" ({self.series.variant})" if self.series.variant else ""
        return f"{self.series.test_id}{variant} (engine {', '.join(versions)}): {rule}."


def _chart(series: FunctionalSeries) -> Chart:
    measure = series.measures[0]
    return Chart(
        key="ft-" + series.anchor.removeprefix("results-"),
        title=series.title,
        svg=series_chart(series),
        columns=(_("Date"), f"{measure.label} ({measure.unit})", _("How tested")),
        rows=[
            (
                f"{row.test.day:%Y-%m-%d}",
                "—" if row.values[0] is None else number(row.values[0]),
                row.how or "—",
            )
            for row in series.rows
        ],
        note=_("Lower is better.") if not measure.higher_is_better else "",
    )


def function_tests(functional: Sequence[FunctionalSeries]) -> list[FunctionTest]:
    """Each test with a result, in the order of the clinical core's tests."""
    return [FunctionTest(s, _chart(s)) for s in functional if s.rows]


def day_words(day: date, latest: date) -> str:
    """A day as a family reads it, "2 March" (with its year when not `latest`'s), in the
    reader's language."""
    return date_format(day, _("j F") if day.year == latest.year else _("j F Y"))


def _times(count: Decimal) -> str:
    return ngettext("%(count)s time", "%(count)s times", int(count)) % {"count": number(count)}


def what_you_can_do(functional: Sequence[FunctionalSeries], *, name: str = "") -> list[str]:
    """The family's plain words, latest against first: "you walked 520 metres in 6 minutes
    (380 metres on 2 March)". Only the walk and the sit-to-stand; `name` for a guardian, the
    child's own view ("you") without it; nothing when there are no results."""
    lines = []
    for series in functional:
        if series.test_id not in ("6mwt", "30s-sts") or not series.rows:
            continue
        given = [(row.test.day, v) for row in series.rows if (v := row.values[0]) is not None]
        if not given:
            continue
        (first_day, first), (latest_day, latest) = given[0], given[-1]
        earlier = len(given) >= 2
        if series.test_id == "6mwt":
            said = {"name": name, "metres": number(latest)}
            line = (
                _("%(name)s walked %(metres)s metres in 6 minutes") % said
                if name
                else _("you walked %(metres)s metres in 6 minutes") % said
            )
            before = _("%(metres)s metres") % {"metres": number(first)}
        else:
            said = {"name": name, "times": _times(latest)}
            line = (
                _("%(name)s stood up from a chair %(times)s in 30 seconds") % said
                if name
                else _("you stood up from a chair %(times)s in 30 seconds") % said
            )
            before = _times(first)
        if earlier:
            line += " " + _("(%(before)s on %(day)s)") % {
                "before": before,
                "day": day_words(first_day, latest_day),
            }
        lines.append(line)
    return lines
