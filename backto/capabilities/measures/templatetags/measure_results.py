"""`{% results_rows series with_charts %}`: the body rows of the questionnaire results table
(measures/_results_table.html), each measure at baseline and latest with its change and whether
it is reliable.

Written in Python rather than in the template language: a row asks some forty values of its
series, and at the template's cost per value the table was the progress page's most expensive
part (issue 24). Each value is written as the template would write it there (its locale
formatting on or off, escaped), so the HTML is the same.
"""

from collections.abc import Callable, Sequence

from django import template
from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import floatformat, yesno
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from backto.capabilities.measures.queries import MeasureSeries, Point

register = template.Library()
Show = Callable[[object], str]  # a value as the template writes it

SUBSTITUTE = ' <span class="small">(first score: the baseline could not be scored)</span>'
NOT_YET = '<span class="muted">not yet</span>'


def _score(
    show: Show, link: tuple[str, str], point: Point | None, *, substitute: bool, none: str
) -> str:
    """A score cell's contents: the total linked to its answers, the band, the day."""
    if not point:
        return none
    url = f"{link[0]}{point.administration.pk}{link[1]}"
    band = f'<br><span class="small">{show(point.band)}</span>' if point.band else ""
    return (
        f'<a href="{url}">{show(point.total)}</a>{SUBSTITUTE if substitute else ""}{band}'
        f'<br><span class="small muted">{point.day:%Y-%m-%d}</span>'
    )


def _is_it_real(show: Show, s: MeasureSeries) -> str:
    """Whether the change is real: reliable change (with its SD, r and source), responder and
    recovered; the minimal meaningful change for the pain NRS; else why there is no answer."""
    a, m = s.assessment, s.minimal_change
    if a:
        rc = a.reliable_change
        better = {"reliably improved": "change-better", "reliably worse": "change-worse"}
        responder = (
            f"<br>Responder: {yesno(a.responder, 'yes,no')} "
            f'<span class="muted">({show(a.responder_rule)})</span>'
            if a.responder is not None
            else ""
        )
        recovered = (
            f"<br>Recovered: {yesno(a.recovered, 'yes,no')} "
            f'<span class="muted">({show(a.recovered_rule)})</span>'
            if a.recovered is not None
            else ""
        )
        return (
            f'<strong class="{better.get(rc.classification, "")}">{show(rc.classification)}</strong>'
            f"\n        (RCI {floatformat(rc.rci, 2)}; a change of {floatformat(rc.threshold, 1)}"
            f" points or more is reliable, from SD {show(rc.sd)} and r {show(rc.r)},"
            f" {show(rc.source)})\n        {responder}\n        {recovered}\n      "
        )
    if m:
        kind = (
            ("change-better" if m.direction == "improved" else "change-worse")
            if m.meaningful
            else ""
        )
        words = (
            f"meaningful change: {show(m.direction)}"
            if m.meaningful
            else "below the minimal meaningful change"
        )
        percent = f", {floatformat(m.percent, 0)}%" if m.percent is not None else ""
        return (
            f'<strong class="{kind}">{words}</strong>\n        ({floatformat(m.change, "1")} points'
            f"{percent}; counts from {floatformat(m.points_threshold, '-1')} point or"
            f" {show(m.percent_threshold)}%, {show(m.source)})\n      "
        )
    if s.change is not None:
        return '<span class="muted">no reliable-change rule for this measure</span>'
    return '<span class="muted">needs a second score</span>'


@register.simple_tag(takes_context=True)
def results_rows(
    context: Context, series: Sequence[tuple[MeasureSeries, str]], with_charts: bool
) -> SafeString:
    """One row a measure: `series` holds (series, its trend chart or "")."""

    def show(value: object) -> str:
        if type(value) is str:  # most of them: no locale formatting, escaped when the page is
            return conditional_escape(value) if context.autoescape else value
        return render_value_in_context(value, context)

    # The link to a score's answers, split around a placeholder id (the last "0" of the path):
    # one reverse() a table instead of two a row.
    before, _zero, after = reverse("administration", args=[0]).rpartition("0")
    link = (before, after)
    rows = []
    for s, chart in series:
        better = "lower is better" if s.direction == "higher_is_worse" else "higher is better"
        change = "—" if s.change is None else f"{'+' if s.change > 0 else ''}{show(s.change)}"
        rows.append(
            f'\n  <tr>\n    <th scope="row">{show(s.title)}<br><span class="small muted">'
            f"{show(s.respondent)} · {better}</span></th>"
            f"\n    <td>{_score(show, link, s.baseline, substitute=s.baseline_is_substitute, none='—')}</td>"
            f"\n    <td>{_score(show, link, s.latest, substitute=False, none=NOT_YET)}</td>"
            f"\n    <td>{change}</td>"
            f'\n    <td class="small">\n      {_is_it_real(show, s)}\n    </td>'
            f"\n    {f'<td>{show(chart)}</td>' if with_charts else ''}\n  </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped by show()
