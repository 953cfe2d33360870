"""The trend of one measure, drawn with the shared SVG chart code."""

from django.utils.safestring import SafeString

from backto.capabilities.measures.queries import MeasureSeries
from backto.core.charts import Series, line_chart


def series_chart(series: MeasureSeries) -> SafeString:
    instrument = series.instrument
    scoring = instrument.scoring if instrument else None
    if scoring is None or len(series.scored) < 2:
        return SafeString("")
    values = ", ".join(f"{p.day:%Y-%m-%d} {p.total}" for p in series.scored)
    return line_chart(
        [Series(series.title, [(p.day, float(p.total)) for p in series.scored])],  # type: ignore[arg-type]
        title=f"{series.title} ({series.respondent}) over time",
        description=f"Scores from {scoring.range.min:g} to {scoring.range.max:g}; "
        f"{'lower' if series.direction == 'higher_is_worse' else 'higher'} is better. {values}.",
        y_min=float(scoring.range.min),
        y_max=float(scoring.range.max),
        bands=[(float(b.lower), b.label) for b in scoring.bands[1:]],
    )
