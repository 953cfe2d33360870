"""The trend of one measure, drawn with the shared SVG chart code."""

import math

from django.utils.safestring import SafeString

from backto.capabilities.measures.queries import MeasureSeries
from backto.core.charts import Series, line_chart


def series_chart(series: MeasureSeries) -> SafeString:
    instrument = series.instrument
    scoring = instrument.scoring if instrument else None
    if scoring is None or len(series.scored) < 2:
        return SafeString("")
    values = ", ".join(f"{p.day:%Y-%m-%d} {p.total}" for p in series.scored)
    low, high = float(scoring.range.min), float(scoring.range.max)
    what = "Scores"
    if scoring.rate is not None:
        # a count per 3 months has no useful upper bound (the range is the most counts over the
        # fewest months): the axis runs from 0 to just above the highest count charted
        high = float(max(1, math.ceil(max(float(p.total or 0) for p in series.scored) * 1.1)))
        what = f"Counts per {scoring.rate.per_months} months"
    return line_chart(
        [Series(series.title, [(p.day, float(p.total)) for p in series.scored])],  # type: ignore[arg-type]
        title=f"{series.title} ({series.respondent}) over time",
        description=f"{what} from {low:g} to {high:g}; "
        f"{'lower' if series.direction == 'higher_is_worse' else 'higher'} is better. {values}.",
        y_min=low,
        y_max=high,
        bands=[(float(b.lower), b.label) for b in scoring.bands[1:]],
    )
