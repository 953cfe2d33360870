"""The body map's pages: the family marks "where it bothered" at a questionnaire point, and the care
team sees every map of an episode with a heat map of a chosen period."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for, has_permission
from backto.access.patients.models import Episode, Patient
from backto.access.patients.respondents import FAMILY_RESPONDENTS, allowed_respondent
from backto.capabilities.exam.body_map_drawing import body_map_svg, region_label, region_labels
from backto.capabilities.exam.pain_map_actions import pain_map_record
from backto.capabilities.exam.pain_map_forms import (
    MapForForm,
    PainMapForm,
    PeriodForm,
    PostedRespondentForm,
    StaffPainMapForm,
)
from backto.capabilities.exam.pain_map_queries import (
    COMPARED,
    DuePoint,
    due_for_care_team,
    due_in_episode,
    episode_maps,
    first_and_latest,
    heat_map,
    line,
)
from backto.capabilities.measures.checkin_words import checkin_words
from backto.core.forms import apply_errors, error_summary


@dataclass(frozen=True)
class Wording:
    """What the family's page says, for who marks and for whom: short and warm for a child,
    about their child for a parent; never a score. The thanks are the same whatever the answer
    (places or "nowhere right now"), so that no answer is praised above another and nothing
    nudges what a child says."""

    heading: str
    intro: str
    legend: str
    thanks: str


def wording(user: Any, patient: Patient, respondent: str) -> Wording:
    """The page's words in the reader's language: "usted" to a parent, "tú" to a teen or to a
    child filling it in with a parent."""
    name = {"name": patient.first_name}
    if respondent == "parent":
        return Wording(
            heading=_("Where did it bother %(name)s this week?") % name,
            intro=_(
                "Tap each place where you saw it bother %(name)s, on the front or the back, "
                "or choose “Nowhere right now”."
            )
            % name,
            legend=_("Where it bothered %(name)s") % name,
            thanks=_("Thank you — the care team will look at it with you."),
        )
    if user.is_teen:
        return Wording(
            heading=_("Where did it bother you this week?"),
            intro=_(
                "Tap each place that bothered you, on the front or the back, or choose "
                "“Nowhere right now”."
            ),
            legend=_("Where it bothered you"),
            thanks=_("Thank you — your care team will look at it with you."),
        )
    return Wording(
        heading=_("Where did it bother %(name)s this week?") % name,
        intro=_(
            "Fill this in together with %(name)s: tap each place that bothered them, on the "
            "front or the back, or choose “Nowhere right now”."
        )
        % name,
        legend=_("Where it bothered %(name)s") % name,
        thanks=_("Thank you, %(name)s — your care team will look at it with you.") % name,
    )


@require_http_methods(["GET", "POST"])
def pain_map_mark(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """GET: the first map due for this family member in the episode (`?for=child|parent` picks
    among them), or that nothing is due. POST: keep the map (the point in hidden fields)."""
    episode = get_episode_for(request, episode_id, Permission.MEASURE_ANSWER)
    patient = episode.patient
    user = request.user
    respondents = [r for r in FAMILY_RESPONDENTS if allowed_respondent(user, patient, r)]
    url = reverse("pain_map_mark", kwargs={"episode_id": episode.pk})
    if request.method == "POST":
        respondent = PostedRespondentForm(request.POST).checked()["respondent"]
        words = wording(user, patient, respondent if respondent in respondents else "child")
        form = PainMapForm(request.POST, regions_label=words.legend)
        if form.is_valid():
            try:
                pain_map_record(
                    by=user,
                    episode=episode,
                    respondent=form.cleaned_data["respondent"],
                    timepoint=form.cleaned_data["timepoint"],
                    label=form.cleaned_data["label"],
                    regions=form.cleaned_data["regions"],
                    day=timezone.localdate(),
                    submission_key=form.cleaned_data["submission_key"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, words.thanks)
                return redirect(url)
        point_label = checkin_words(form.data.get("label", ""))
        others: list[tuple[DuePoint, str]] = []
    else:
        due = due_in_episode(episode.pk, respondents)
        chosen = MapForForm(request.GET).checked()["for"]
        point = next((p for p in due if p.respondent == chosen), due[0] if due else None)
        form = None
        words = wording(user, patient, point.respondent if point else "child")
        point_label = ""
        others = []
        if point is not None:
            form = PainMapForm(
                initial={
                    "respondent": point.respondent,
                    "timepoint": point.timepoint,
                    "label": point.label,
                },
                regions_label=words.legend,
            )
            point_label = checkin_words(point.label)
            others = [(p, checkin_words(p.label)) for p in due if p.respondent != point.respondent]
    return render(
        request,
        "exam/pain_map_mark.html",
        {
            "episode": episode,
            "patient": patient,
            "form": form,
            "words": words,
            "point_label": point_label,
            "others": others,
            "problems": error_summary(form) if form is not None and form.is_bound else [],
        },
    )


@require_GET
def pain_map_episode(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """Every map of the episode, a heat map of a chosen period (`?start=&end=&respondent=`;
    by default the whole episode and the family's line: at each point the child's map, else a
    parent's) with its data table, the first and latest map of that line side by side, and for
    those who record the exam the form to record a map (`pain_map_staff_record`)."""
    episode = get_episode_for(request, episode_id, Permission.EXAM_VIEW)
    form = None
    if has_permission(request.user, Permission.EXAM_RECORD, episode.patient):
        form = StaffPainMapForm(
            points=due_for_care_team(episode.pk), initial={"day": timezone.localdate()}
        )
    return _episode_page(request, episode, form)


@require_POST
def pain_map_staff_record(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """Record a map at an open point from the care team's page: the family's from paper or the
    clinician's own. 404 outside the care team, 403 without `exam_record`."""
    episode = get_episode_for(
        request, episode_id, Permission.EXAM_VIEW, write=Permission.EXAM_RECORD
    )
    form = StaffPainMapForm(request.POST, points=due_for_care_team(episode.pk))
    if form.is_valid():
        point = form.cleaned_data["point"]
        try:
            pain_map_record(
                by=request.user,
                episode=episode,
                respondent=point.respondent,
                timepoint=point.timepoint,
                label=point.label,
                regions=form.cleaned_data["regions"],
                day=form.cleaned_data["day"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Body map saved: {point.label}.")
            return redirect("pain_map_episode", episode_id=episode.pk)
    return _episode_page(request, episode, form)


def _episode_page(
    request: AuthenticatedHttpRequest,
    episode: Episode,
    form: StaffPainMapForm | None,
) -> HttpResponse:
    maps = episode_maps(episode.pk)
    period = PeriodForm(
        request.GET if request.GET else None,
        initial={"start": episode.referral_date, "end": timezone.localdate()},
    )
    start = end = None
    respondent = ""
    if period.is_bound and period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
        respondent = period.cleaned_data["respondent"]
    heat = heat_map(line(maps, respondent), start=start, end=end)
    labels = region_labels()
    pair = first_and_latest(maps, respondent)
    name = episode.patient.first_name
    return render(
        request,
        "exam/pain_map_episode.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "can": can(request.user, episode.patient),
            "maps": [
                (m, [region_label(r, labels) for r in m.regions]) for m in reversed(maps.rows)
            ],
            "compared": COMPARED[respondent],
            "period": period,
            "heat": heat,
            "heat_rows": heat.rows(labels),
            "heat_svg": body_map_svg(
                heat.fills(),
                title=f"Heat map of where it bothered {name}, "
                f"{heat.total} map{pluralize(heat.total)}",
            ),
            "pair": [
                (
                    which,
                    m,
                    body_map_svg(
                        dict.fromkeys(m.regions, 1.0),
                        title=f"{which} map, {m.day:%Y-%m-%d}: {m.painful_region_count} "
                        f"painful region{pluralize(m.painful_region_count)} marked",
                    ),
                )
                for which, m in zip(("First", "Latest"), pair or (), strict=False)
            ],
            "record_form": form,
            "problems": error_summary(form) if form is not None and form.is_bound else [],
        },
    )
