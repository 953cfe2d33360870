"""The progress charts, each with the rows of its data table: one drawing for page and PDF."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backto.core.charts import Series, line_chart
from backto.readers.progress.queries import Progress


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: SafeString
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    note: str = ""

    @property
    def rows_html(self) -> SafeString:
        """The data table's body rows for the page (`card_html`), each cell as the
        template would write it inside the page's {% localize off %}: a six-month chart has
        hundreds of cells, which cost the template language more than the rest of the page."""
        context = Context(use_l10n=False)

        def cell(value: object) -> str:
            if type(value) is str:
                return conditional_escape(value)
            if type(value) is int:  # without locale formatting: its digits
                return str(value)
            return render_value_in_context(value, context)

        return mark_safe(  # noqa: S308 - every cell is escaped above
            "".join(
                "<tr>"
                + "".join(
                    f'<th scope="row">{cell(value)}</th>' if i == 0 else f"<td>{cell(value)}</td>"
                    for i, value in enumerate(row)
                )
                + "</tr>"
                for row in self.rows
            )
        )

    @property
    def card_html(self) -> SafeString:
        """The chart's card on the progress page: its title, the drawing, the note, and the
        numbers in a table that opens under "Show the numbers". Written here rather than
        included from a template: the page shows five to ten of them."""
        key, title = conditional_escape(self.key), conditional_escape(self.title)
        note = f'<p class="small muted">{conditional_escape(self.note)}</p>' if self.note else ""
        columns = "".join(f'<th scope="col">{conditional_escape(c)}</th>' for c in self.columns)
        show = conditional_escape(_("Show the numbers"))
        numbers_for = _("Numbers for %(title)s") % {"title": title}
        return mark_safe(  # noqa: S308 - every word is escaped above
            f'<section class="card chart-card" aria-labelledby="chart-{key}-h">\n'
            f'  <h2 id="chart-{key}-h">{title}</h2>\n'
            f"  {conditional_escape(self.svg)}\n"
            f"  {note}\n"
            "  <details>\n"
            f"    <summary>{show}"
            f'<span class="visually-hidden">: {title}</span></summary>\n'
            f'    <div class="table-wrap" tabindex="0" role="region" aria-label="{numbers_for}">\n'
            "    <table>\n"
            f'      <caption class="visually-hidden">{title}</caption>\n'
            f"      <thead><tr>{columns}</tr></thead>\n"
            f"      <tbody>{self.rows_html}</tbody>\n"
            "    </table>\n"
            "    </div>\n"
            "  </details>\n"
            "</section>\n"
        )


# A percent sign given as a placeholder: "% o" in a message would read as a format to gettext.
PERCENT = {"percent": "%"}


def form_word(respondent: str) -> str:
    """Whose questionnaire form: the child's or the parent's, in the reader's language."""
    if respondent == "parent":
        return pgettext("questionnaire form", "parent")
    if respondent == "child":
        return pgettext("questionnaire form", "child")
    return respondent


def _points(progress: Progress, attribute: str, scale: float = 1) -> list:
    return [
        (w.start, getattr(w, attribute) * scale)
        for w in progress.weeks
        if getattr(w, attribute) is not None
    ]


def function_vs_pain(progress: Progress, *, with_pain: bool) -> Chart | None:
    """Daily activity (as a % of 'as usual') and, where shown, pain (as a % of 10) by week:
    the usual pattern is that function climbs first and pain eases weeks later."""
    function = _points(progress, "activity", 25)
    pain = _points(progress, "pain", 10) if with_pain else []
    if len(function) < 2:
        return None
    series = [Series(_("Activity, %(percent)s of usual") % PERCENT, function)]
    if len(pain) >= 2:
        series.append(Series(_("Pain, %(percent)s of 10") % PERCENT, pain, dashed=True))
    title = _("Function and pain by week") if with_pain else _("Activity by week")
    rows = [
        (f"{w.start:%Y-%m-%d}", w.activity if w.activity is not None else "—")
        + ((w.pain if w.pain is not None else "—",) if with_pain else ())
        for w in progress.weeks
    ]
    return Chart(
        key="function",
        title=title,
        svg=line_chart(
            series,
            title=title,
            description=_(
                "Weekly means from the child's daily diary, as a percentage: activity (solid "
                "line) out of 4, pain (dashed line) out of 10. The numbers are in the table below."
            )
            if len(series) > 1
            else _(
                "Weekly means from the child's daily diary, as a percentage: activity (solid "
                "line) out of 4. The numbers are in the table below."
            ),
            y_min=0,
            y_max=100,
        ),
        columns=(_("Week of"), _("Activity (0 to 4)"))
        + ((_("Pain (0 to 10)"),) if with_pain else ()),
        rows=rows,
        note=_("Function usually comes back first; pain tends to ease a few weeks later.")
        if with_pain
        else "",
    )


def fdi_chart(progress: Progress) -> Chart | None:
    series = [s for s in progress.fdi if len(s.scored) >= 1]
    if not series or sum(len(s.scored) for s in series) < 2:
        return None
    lines = [
        Series(
            _("FDI (%(form)s)") % {"form": form_word(s.respondent)},
            [(p.day, float(p.total)) for p in s.scored],  # type: ignore[arg-type]
            dashed=s.respondent == "parent",
        )
        for s in series
    ]
    rows = [
        (
            f"{p.day:%Y-%m-%d}",
            form_word(s.respondent),
            p.total,
            p.band or "—",
            p.administration.label,
        )
        for s in series
        for p in s.scored
    ]
    scoring = next((s.instrument.scoring for s in series if s.instrument), None)
    if scoring is None:
        return None
    bands = [(float(b.lower), b.label) for b in scoring.bands[1:]]
    cuts = ", ".join(
        _("%(band)s from %(cut)s") % {"band": label, "cut": f"{cut:g}"} for cut, label in bands
    )
    return Chart(
        key="fdi",
        title=_("Functional Disability Inventory"),
        svg=line_chart(
            lines,
            title=_("Functional Disability Inventory over time"),
            description=_(
                "FDI totals from %(min)s to %(max)s, lower is better: the child's form as a "
                "solid line, the parent's dashed; the rules mark the bands (%(cuts)s)."
            )
            % {"min": f"{scoring.range.min:g}", "max": f"{scoring.range.max:g}", "cuts": cuts},
            y_min=float(scoring.range.min),
            y_max=float(scoring.range.max),
            bands=bands,
        ),
        columns=(_("Date"), _("Form"), _("Total"), _("Band"), _("When")),
        rows=sorted(rows, key=lambda r: (r[0], r[1])),
        note=_("Bands: %(source)s.") % {"source": scoring.bands_source}
        if scoring.bands_source
        else "",
    )


def _weekly_percent(
    progress: Progress, attribute: str, *, key: str, title: str, label: str, description: str
) -> Chart | None:
    """A chart of one weekly percentage (0 to 100) with its table."""
    points = _points(progress, attribute)
    if len(points) < 2:
        return None
    return Chart(
        key=key,
        title=title,
        svg=line_chart(
            [Series(label, points)], title=title, description=description, y_min=0, y_max=100
        ),
        columns=(_("Week of"), label),
        rows=[
            (f"{w.start:%Y-%m-%d}", v if (v := getattr(w, attribute)) is not None else "—")
            for w in progress.weeks
        ],
    )


def school_chart(progress: Progress) -> Chart | None:
    return _weekly_percent(
        progress,
        "school",
        key="school",
        title=_("School attendance by week"),
        label=_("School days attended, %"),
        description=_(
            "The share of school days attended each week (a part day counts half), from the diary."
        ),
    )


def gas_chart(progress: Progress) -> Chart | None:
    if len(progress.gas) < 2:
        return None
    return Chart(
        key="gas",
        title=_("Goals: GAS T-score"),
        svg=line_chart(
            [Series(_("GAS T-score"), [(p.day, float(p.t_score)) for p in progress.gas])],
            title=_("Goal Attainment Scaling T-score over time"),
            description=_(
                "The GAS T-score at each goal review; 50 means the goals were met as expected, "
                "above 50 better than expected."
            ),
            y_min=20,
            y_max=80,
            bands=[(50, pgettext("goals met as", "expected"))],
        ),
        columns=(_("Review"), _("T-score"), _("Goals")),
        rows=[(f"{p.day:%Y-%m-%d}", p.t_score, p.goals) for p in progress.gas],
        note=_("Kiresuk & Sherman (1968); unrated goals count at their baseline level."),
    )


def adherence_chart(progress: Progress) -> Chart | None:
    return _weekly_percent(
        progress,
        "adherence",
        key="adherence",
        title=_("Home program done"),
        label=_("Done, %"),
        description=_("The share of planned home-program exercise-days ticked each week."),
    )


def progress_charts(progress: Progress, *, with_pain: bool, child_view: bool) -> list[Chart]:
    """In reading order, function first. The child's own view leaves out pain and the FDI."""
    charts = [function_vs_pain(progress, with_pain=with_pain and not child_view)]
    if not child_view:
        charts.append(fdi_chart(progress))
    charts += [school_chart(progress), gas_chart(progress), adherence_chart(progress)]
    return [c for c in charts if c is not None]
