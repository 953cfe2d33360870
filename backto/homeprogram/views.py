"""The exercise library, a child's home program, and the family's checklist for today."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from backto.accounts.roles import Permission
from backto.careplan.queries import program_end
from backto.core.forms import apply_errors
from backto.core.http import AuthenticatedHttpRequest
from backto.homeprogram import actions
from backto.homeprogram.forms import DoseForm, ExerciseForm, HomeProgramItemForm
from backto.homeprogram.models import Exercise, HomeProgramItem
from backto.homeprogram.queries import adherence_by_week, checklist
from backto.patients.access import can, get_episode_for, get_record_for, require_permission
from backto.patients.models import Episode


def _id(value: str) -> int:
    """A record id from a form; anything else is a record that does not exist."""
    if not value.isdigit():
        raise Http404("No such record.")
    return int(value)


@require_http_methods(["GET", "POST"])
def exercise_library(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.HOME_PROGRAM_EDIT)
    clinic = request.user.clinic
    form = ExerciseForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("do") == "starter":
            added = actions.starter_library_load(clinic=clinic, by=request.user)
            messages.success(request, f"{added} starter exercises added.")
            return redirect("exercise_library")
        if form.is_valid():
            try:
                exercise = actions.exercise_add(by=request.user, exercise=form.save(commit=False))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"{exercise.name} is in the library.")
                return redirect("exercise_library")
    exercises = Exercise.objects.filter(clinic=clinic, active=True)
    return render(request, "homeprogram/library.html", {"exercises": exercises, "form": form})


def _dose_form(
    request: AuthenticatedHttpRequest, episode: Episode, ended: date | None, today: date
) -> DoseForm | None:
    """The form changing one exercise's dose, when the page asks for it (?edit=<item>, or a
    post of the form)."""
    asked = request.POST.get("edit") or request.GET.get("edit")
    if not asked:
        return None
    item = get_object_or_404(
        HomeProgramItem.objects.select_related("exercise"), pk=_id(asked), episode=episode
    )
    data = request.POST if request.method == "POST" else None
    return DoseForm(data, item=item, minutes_today=item.minutes_on(today, program_end=ended))


def _save(
    request: AuthenticatedHttpRequest,
    episode: Episode,
    form: HomeProgramItemForm | DoseForm,
    today: date,
) -> str:
    """Add an exercise, or change a dose, from the posted form: the message to show, or ""
    when the form has errors to show instead."""
    if not form.is_valid():
        return ""
    try:
        if isinstance(form, DoseForm):
            actions.home_program_edit(by=request.user, item=form.item, on=today, **form.changes())
            return f"The dose of {form.item.exercise.name} is changed from today."
        actions.home_program_add(by=request.user, episode=episode, **form.cleaned_data)
        return "Added to the home program."
    except ValidationError as error:
        apply_errors(form, error)
        return ""


@require_http_methods(["GET", "POST"])
def home_program(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    permission = (
        Permission.HOME_PROGRAM_EDIT if request.method == "POST" else Permission.PATIENT_VIEW
    )
    episode = get_episode_for(request, episode_id, permission)
    if request.method == "POST" and "stop" in request.POST:
        item = get_object_or_404(HomeProgramItem, pk=_id(request.POST["stop"]), episode=episode)
        try:
            actions.home_program_stop(by=request.user, item=item)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{item.exercise.name} is no longer in the program.")
        return redirect("home_program", episode_id=episode.pk)
    today, ended = timezone.localdate(), program_end(episode)
    dose_form = _dose_form(request, episode, ended, today)
    exercises = Exercise.objects.filter(clinic_id=episode.patient.clinic_id, active=True)
    form = HomeProgramItemForm(None if dose_form else request.POST or None, exercises=exercises)
    if request.method == "POST" and (done := _save(request, episode, dose_form or form, today)):
        messages.success(request, done)
        return redirect("home_program", episode_id=episode.pk)
    items = HomeProgramItem.objects.filter(episode=episode).select_related("exercise")
    return render(
        request,
        "homeprogram/program.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "form": form,
            "dose_form": dose_form,
            "today": today,
            "program_end": ended,
            "items": [(i, i.dose_on(today, program_end=ended), i.active_on(today)) for i in items],
            "weeks": adherence_by_week(episode, until=today),
            "can": can(request.user, episode.patient),
        },
    )


@require_safe
def home_program_sheet(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """A printable sheet of the program as it stands today."""
    episode = get_episode_for(request, episode_id, Permission.PATIENT_VIEW)
    today = timezone.localdate()
    return render(
        request,
        "homeprogram/sheet.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "today": today,
            "program_end": program_end(episode),
            "rows": checklist(episode, today),
        },
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def exercises_today(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """The family's checklist. A tap ticks one exercise: htmx swaps the row, a plain form posts
    and comes back."""
    permission = Permission.EXERCISE_TICK if request.method == "POST" else Permission.PATIENT_VIEW
    episode = get_episode_for(request, episode_id, permission)
    today = timezone.localdate()
    day = today - timedelta(days=1) if request.GET.get("day") == "yesterday" else today
    if request.method == "POST":
        item = get_record_for(
            request,
            HomeProgramItem.objects.filter(episode=episode),
            _id(request.POST.get("item", "")),
            Permission.EXERCISE_TICK,
            patient_path="episode__patient",
        )
        try:
            actions.exercise_tick(
                by=request.user, item=item, day=day, done=request.POST.get("done") == "1"
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if not request.htmx:
            back = request.POST.get("next", "")
            safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
            return redirect(back if back and safe else request.get_full_path())
    rows = checklist(episode, day)
    context = {
        "episode": episode,
        "patient": episode.patient,
        "rows": rows,
        "day": day,
        "is_today": day == today,
        "can": can(request.user, episode.patient),
        "done": sum(r.done for r in rows),
    }
    if request.htmx:
        return render(request, "homeprogram/_checklist.html", context)
    return render(request, "homeprogram/today.html", context)


@require_safe
def exercise_media(request: AuthenticatedHttpRequest, exercise_id: int) -> FileResponse:
    """An exercise's image or video, for anyone signed in at its clinic."""
    exercise = get_object_or_404(
        Exercise, pk=exercise_id, clinic_id=request.user.clinic_id, active=True
    )
    if not exercise.media:
        raise Http404("No file.")
    return FileResponse(exercise.media.open("rb"))
