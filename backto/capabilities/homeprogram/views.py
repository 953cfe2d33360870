"""The exercise library, a child's home program, and the family's checklist for today."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for, get_record_for, require_permission
from backto.access.patients.models import Episode
from backto.capabilities.careplan.queries import program_end
from backto.capabilities.homeprogram import actions
from backto.capabilities.homeprogram.forms import (
    ChecklistDayForm,
    DoseAskedForm,
    DoseForm,
    ExerciseForm,
    HomeProgramItemForm,
    StopForm,
    TickForm,
)
from backto.capabilities.homeprogram.models import Exercise, HomeProgramItem
from backto.capabilities.homeprogram.queries import adherence_by_week, checklist
from backto.core.forms import BadParameter, apply_errors


@require_http_methods(["GET", "POST"])
def exercise_library(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.HOME_PROGRAM_EDIT)
    clinic = request.user.clinic
    form = ExerciseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = actions.exercise_add(by=request.user, exercise=form.save(commit=False))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{exercise.name} is in the library.")
            return redirect("exercise_library")
    exercises = Exercise.objects.filter(clinic=clinic, active=True)
    return render(request, "homeprogram/library.html", {"exercises": exercises, "form": form})


@require_POST
def exercise_library_starter(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add the starter exercises the clinic's library does not have yet."""
    require_permission(request, Permission.HOME_PROGRAM_EDIT)
    added = actions.starter_library_load(clinic=request.user.clinic, by=request.user)
    messages.success(request, f"{added} starter exercises added.")
    return redirect("exercise_library")


def _dose_form(
    request: AuthenticatedHttpRequest, episode: Episode, ended: date | None, today: date
) -> DoseForm | None:
    """The form changing one exercise's dose, when the page asks for it (?edit=<item>, or a
    post of the form)."""
    asked = DoseAskedForm([request.POST, request.GET]).checked()["edit"]
    if asked is None:
        return None
    item = get_object_or_404(
        HomeProgramItem.objects.select_related("exercise"), pk=asked, episode=episode
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
    episode = get_episode_for(
        request, episode_id, Permission.PATIENT_VIEW, write=Permission.HOME_PROGRAM_EDIT
    )
    today, ended = timezone.localdate(), program_end(episode)
    exercises = Exercise.objects.filter(clinic_id=episode.patient.clinic_id, active=True)
    try:
        if request.method == "POST" and "stop" in request.POST:
            return _stop(request, episode, StopForm(request.POST).checked()["stop"])
        dose_form = _dose_form(request, episode, ended, today)
    except BadParameter as error:  # a tampered stop or edit: the page again, with what is wrong
        messages.error(request, str(error))
        form = HomeProgramItemForm(exercises=exercises)
        return _program_page(request, episode, form, None, today, ended, status=400)
    form = HomeProgramItemForm(None if dose_form else request.POST or None, exercises=exercises)
    if request.method == "POST" and (done := _save(request, episode, dose_form or form, today)):
        messages.success(request, done)
        return redirect("home_program", episode_id=episode.pk)
    return _program_page(request, episode, form, dose_form, today, ended)


def _stop(request: AuthenticatedHttpRequest, episode: Episode, item_id: int) -> HttpResponse:
    item = get_object_or_404(HomeProgramItem, pk=item_id, episode=episode)
    try:
        actions.home_program_stop(by=request.user, item=item)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{item.exercise.name} is no longer in the program.")
    return redirect("home_program", episode_id=episode.pk)


def _program_page(
    request: AuthenticatedHttpRequest,
    episode: Episode,
    form: HomeProgramItemForm,
    dose_form: DoseForm | None,
    today: date,
    ended: date | None,
    status: int = 200,
) -> HttpResponse:
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
        status=status,
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
    episode = get_episode_for(
        request, episode_id, Permission.PATIENT_VIEW, write=Permission.EXERCISE_TICK
    )
    today = timezone.localdate()
    day = ChecklistDayForm(request.GET).checked()["day"]
    problem = ""
    if request.method == "POST":
        # Every posted value is checked before the tick is written: all or nothing.
        try:
            tick = TickForm(request.POST, host=request.get_host()).checked()
        except BadParameter as error:
            problem = str(error)
        else:
            item = get_record_for(
                request,
                HomeProgramItem.objects.filter(episode=episode),
                tick["item"],
                Permission.EXERCISE_TICK,
                patient_path="episode__patient",
            )
            back = tick["next"] or request.get_full_path()
            try:
                actions.exercise_tick(by=request.user, item=item, day=day, done=tick["done"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            if not request.htmx:
                return redirect(back)
    rows = checklist(episode, day)
    context = {
        "episode": episode,
        "patient": episode.patient,
        "rows": rows,
        "day": day,
        "is_today": day == today,
        "can": can(request.user, episode.patient),
        "done": sum(r.done for r in rows),
        "problem": problem,
    }
    status = 400 if problem else 200
    if request.htmx:
        return render(request, "homeprogram/_checklist.html", context, status=status)
    return render(request, "homeprogram/today.html", context, status=status)


@require_safe
def exercise_media(request: AuthenticatedHttpRequest, exercise_id: int) -> FileResponse:
    """An exercise's image or video, for anyone signed in at its clinic."""
    exercise = get_object_or_404(
        Exercise, pk=exercise_id, clinic_id=request.user.clinic_id, active=True
    )
    if not exercise.media:
        raise Http404("No file.")
    return FileResponse(exercise.media.open("rb"))
