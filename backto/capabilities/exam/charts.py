"""A functional test's trend, drawn with the shared SVG chart code (`backto.core.charts`)."""

import math

from django.utils.safestring import SafeString

from backto.capabilities.exam.queries import FunctionalSeries
from backto.core.charts import Series, line_chart


def nice_ceiling(value: float) -> float:
    """The axis top: the next of 1, 2, 2.5 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def series_chart(series: FunctionalSeries) -> SafeString:
    """The trend of one test from zero, one line per measure (left and right apart by dash);
    nothing until there are two results to join."""
    lines = [
        Series(f"{m.label} ({m.unit})", series.points(index), dashed=index > 0)
        for index, m in enumerate(series.measures)
    ]
    lines = [line for line in lines if line.points]
    if len(series.rows) < 2 or not lines:
        return SafeString("")
    top = nice_ceiling(max(v for line in lines for _, v in line.points) * 1.1)
    direction = "higher" if series.measures[0].higher_is_better else "lower"
    values = "; ".join(
        f"{line.label}: " + ", ".join(f"{day:%Y-%m-%d} {value:g}" for day, value in line.points)
        for line in lines
    )
    return line_chart(
        lines,
        title=f"{series.title} over time",
        description=f"From 0 to {top:g}; {direction} is better. {values}.",
        y_min=0.0,
        y_max=top,
    )
