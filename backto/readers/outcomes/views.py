"""Program outcomes for the coordinator: a period, a discipline and a setting; a table, a chart
and the de-identified CSV export (audited). Both read the reporting replica when it answers and
the main database when it does not (`backto.core.reporting`); the page then says so."""

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.accounts.sudo import sudo_required
from backto.access.patients.access import require_permission
from backto.access.patients.models import therapy_choices
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.careplan.models import Setting
from backto.core.charts import stacked_bars
from backto.core.forms import BoundedDateField
from backto.core.reporting import ReportingSource, reporting_source
from backto.readers.outcomes.export import TooFewToExport, export_zip
from backto.readers.outcomes.queries import (
    SMALL_CELL,
    TIMEPOINTS,
    Summary,
    cohort,
    cohort_summary,
)

T = TypeVar("T")


class CohortForm(forms.Form):
    start = BoundedDateField(label="Program started from")
    end = BoundedDateField(label="to")
    discipline = forms.ChoiceField(
        label="Care team includes",
        required=False,
        choices=[("", "Any discipline"), *therapy_choices()],
    )
    setting = forms.ChoiceField(
        label="Program", required=False, choices=[("", "Any program"), *Setting.choices]
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must not come before its start.")
        return data


def band_figures(summary: Summary) -> dict[str, object]:
    """The band table's rows and its chart. The chart draws only time points whose every cell
    is shown in the table: a share drawn beside a hidden count would give the count away."""
    labels = list(next(iter(summary.bands.values())).keys()) if summary.bands else []
    rows = [(TIMEPOINTS[t], list(cells.values())) for t, cells in summary.bands.items()]
    bars = [
        (when, [(label, cell.value) for label, cell in zip(labels, cells, strict=True)])
        for when, cells in rows
        if sum(c.n for c in cells) >= SMALL_CELL and not any(c.suppressed for c in cells)
    ]
    return {
        "band_labels": labels,
        "band_rows": rows,
        "band_chart": stacked_bars(
            bars,  # type: ignore[arg-type]
            title="Child FDI bands at admission, discharge and follow-up",
            description="The share of children in each FDI band at each time point; the counts "
            "are in the table below.",
        ),
    }


def _form(request: AuthenticatedHttpRequest) -> CohortForm:
    today = timezone.localdate()
    initial = {"start": today - timedelta(days=365), "end": today, "discipline": "", "setting": ""}
    return CohortForm({**initial, **request.GET.dict()} if request.GET else initial)


def _read(
    read: Callable[..., T], request: AuthenticatedHttpRequest, data: dict, source: ReportingSource
) -> T:
    """`cohort` or `cohort_summary` of the form's period, discipline and setting, from `source`."""
    return read(
        request.user.clinic,
        data["start"],
        data["end"],
        discipline=data["discipline"],
        setting=data["setting"],
        using=source.alias,
    )


@require_safe
def outcomes(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.OUTCOMES_VIEW)
    form = _form(request)
    summary = None
    context: dict[str, object] = {}
    if form.is_valid():
        data = form.cleaned_data
        source = reporting_source()
        summary = _read(cohort_summary, request, data, source)
        context = {**band_figures(summary), "read_from_main": source.fell_back}
        audit(
            by=request.user,
            action=Action.VIEW,
            object_type="outcomes",
            detail=f"{data['start']}..{data['end']} {data['discipline']} {data['setting']}".strip(),
        )
    return render(
        request,
        "outcomes/outcomes.html",
        {"form": form, "summary": summary, "small": SMALL_CELL, **context},
        status=400 if form.errors else 200,
    )


@require_safe
@sudo_required
def outcomes_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.OUTCOMES_VIEW)
    form = _form(request)
    if not form.is_valid():
        return render(request, "outcomes/outcomes.html", {"form": form}, status=400)
    data = form.cleaned_data
    rows = _read(cohort, request, data, reporting_source())
    period = f"{data['start']} to {data['end']}"
    try:
        archive = export_zip(rows, period=period)
    except TooFewToExport as reason:
        return render(
            request, "outcomes/outcomes.html", {"form": form, "refused": str(reason)}, status=409
        )
    audit(
        by=request.user,
        action=Action.EXPORT,
        object_type="outcomes",
        detail=f"zip {len(rows)} episodes {data['start']}..{data['end']}",
    )
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="backto-outcomes-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response
