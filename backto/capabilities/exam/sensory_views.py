"""The sensory, autonomic and motor exam page: the exams over time for the care team (the
allodynia area's trend, each exam's findings, temperature differences and Budapest signs), and
the form a clinician who examines records an exam with (its own address for the POST)."""

from collections.abc import Mapping

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for
from backto.access.patients.models import Episode
from backto.capabilities.exam.body_map_drawing import body_map_svg
from backto.capabilities.exam.charts import nice_ceiling
from backto.capabilities.exam.queries import AreaPoint, area_points, areas_compared
from backto.capabilities.exam.sensory_actions import sensory_exam_record
from backto.capabilities.exam.sensory_forms import SensoryExamForm
from backto.capabilities.exam.sensory_queries import (
    THRESHOLDS,
    ExamView,
    exam_views,
    sensory_exams_of,
)
from backto.clinical.criteria_tallies import BUDAPEST_CATEGORIES
from backto.clinical.sensory_exam import AreasAtOneAge
from backto.core.charts import Series, line_chart
from backto.core.forms import apply_errors, error_summary


@require_GET
def sensory_exam(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.EXAM_VIEW)
    permissions = can(request.user, episode.patient)
    form = SensoryExamForm() if permissions[Permission.EXAM_RECORD] else None
    return _page(request, episode, permissions, form)


@require_POST
def sensory_exam_record_view(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(
        request, episode_id, Permission.EXAM_VIEW, write=Permission.EXAM_RECORD
    )
    form = SensoryExamForm(request.POST)
    if form.is_valid():
        try:
            sensory_exam_record(
                by=request.user,
                episode=episode,
                day=form.cleaned_data["day"],
                findings=form.findings(),
                signs=form.signs(),
                submission_key=form.cleaned_data["submission_key"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error, form.field_for)
        else:
            messages.success(request, "Sensory exam saved.")
            return redirect(reverse("sensory_exam", kwargs={"episode_id": episode.pk}))
    return _page(request, episode, can(request.user, episode.patient), form)


def _page(
    request: AuthenticatedHttpRequest,
    episode: Episode,
    permissions: Mapping[str, bool],
    form: SensoryExamForm | None,
) -> HttpResponse:
    views = exam_views(sensory_exams_of(episode.pk))
    points = area_points(v.exam for v in views)
    compared = areas_compared(points)
    return render(
        request,
        "exam/sensory_exam.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "can": permissions,
            "form": form,
            "problems": error_summary(form) if form is not None and form.is_bound else [],
            "exams": [(view, picture(view)) for view in reversed(views)],
            "chart": trend_chart(points, compared),
            "trend": list(zip(points, compared.percents, strict=True)) if compared else [],
            "compared_at": int(compared.age_years) if compared else None,
            "thresholds": THRESHOLDS,
            "categories": len(BUDAPEST_CATEGORIES),
        },
    )


def trend_chart(points: list[AreaPoint], compared: AreasAtOneAge | None) -> SafeString:
    """The allodynia area exam by exam from zero, every exam's territory at the latest exam's age
    (`compared`: `queries.areas_compared(points)`); nothing until two exams tested it."""
    if compared is None or len(points) < 2:
        return SafeString("")
    pairs = [(p.day, percent) for p, percent in zip(points, compared.percents, strict=True)]
    top = nice_ceiling(max(float(p) for _, p in pairs) * 1.1)
    values = ", ".join(f"{day:%Y-%m-%d} {percent}%" for day, percent in pairs)
    return line_chart(
        [Series("Allodynia area (% of body surface)", [(d, float(p)) for d, p in pairs])],
        title="Allodynia area over time",
        description=f"From 0 to {top:g}% of body surface, each exam's territory at "
        f"{int(compared.age_years)} years, the latest exam's age; lower is better. {values}.",
        y_min=0.0,
        y_max=top,
    )


def picture(view: ExamView) -> SafeString:
    """The exam's allodynia territory on the body map, when one was drawn."""
    regions = view.allodynia_regions
    if not regions:
        return SafeString("")
    percent = view.exam.allodynia_percent
    return body_map_svg(
        dict.fromkeys(regions, 1.0),
        title=f"Allodynia territory on {view.exam.day:%Y-%m-%d}: {percent}% of body surface",
    )
