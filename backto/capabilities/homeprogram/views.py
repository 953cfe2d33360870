"""The exercise library, a child's home program, and the family's checklist for today."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
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
    DosePostedForm,
    ExerciseForm,
    ExerciseWordsForm,
    HomeProgramItemForm,
    StopForm,
    TexturesForm,
    TickForm,
)
from backto.capabilities.homeprogram.models import Category, Exercise, HomeProgramItem
from backto.capabilities.homeprogram.queries import (
    adherence_by_week,
    checklist,
    desensitization_progress,
    desensitization_words,
)
from backto.clinical.desensitization import LADDER
from backto.core.forms import BadParameter, apply_errors


@require_http_methods(["GET", "POST"])
def exercise_library(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.HOME_PROGRAM_EDIT)
    clinic = request.user.clinic
    form = ExerciseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        exercise = form.save(commit=False)
        exercise.translations = form.translations()
        try:
            exercise = actions.exercise_add(by=request.user, exercise=exercise)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{exercise.name} is in the library.")
            return redirect("exercise_library")
    exercises = [
        (e, ExerciseWordsForm(exercise=e))
        for e in Exercise.objects.filter(clinic=clinic, active=True)
    ]
    return render(request, "homeprogram/library.html", {"exercises": exercises, "form": form})


@require_POST
def exercise_words(request: AuthenticatedHttpRequest, exercise_id: int) -> HttpResponse:
    """An exercise's words in Spanish, from its row on the library page."""
    require_permission(request, Permission.HOME_PROGRAM_EDIT)
    exercise = get_object_or_404(Exercise, pk=exercise_id, clinic=request.user.clinic)
    form = ExerciseWordsForm(request.POST, exercise=exercise)
    if form.is_valid():
        actions.exercise_words_set(
            by=request.user,
            exercise=exercise,
            language="es",
            name=form.cleaned_data["name"],
            instructions=form.cleaned_data["instructions"],
        )
        messages.success(request, f"The Spanish words of {exercise.name} are saved.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("exercise_library")


@require_POST
def exercise_library_starter(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add the starter exercises the clinic's library does not have yet."""
    require_permission(request, Permission.HOME_PROGRAM_EDIT)
    added = actions.starter_library_load(clinic=request.user.clinic, by=request.user)
    messages.success(request, f"{added} starter exercises added.")
    return redirect("exercise_library")


def _exercises(episode: Episode) -> QuerySet[Exercise]:
    return Exercise.objects.filter(clinic_id=episode.patient.clinic_id, active=True)


def _dose_form(
    data: QueryDict | None, episode: Episode, item_id: int, ended: date | None, today: date
) -> DoseForm:
    """The form changing one exercise's dose, shown (?edit=<item>) or posted."""
    item = get_object_or_404(
        HomeProgramItem.objects.select_related("exercise"), pk=item_id, episode=episode
    )
    return DoseForm(data, item=item, minutes_today=item.minutes_on(today, program_end=ended))


def _page_again(
    request: AuthenticatedHttpRequest, episode: Episode, error: BadParameter
) -> HttpResponse:
    """A tampered stop or edit: the page again, with what is wrong, and a 400."""
    messages.error(request, str(error))
    form = HomeProgramItemForm(exercises=_exercises(episode))
    today, ended = timezone.localdate(), program_end(episode)
    return _program_page(request, episode, form, None, today, ended, status=400)


@require_safe
def home_program(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """The program, with the form adding an exercise, or the one changing the dose it asks for
    (?edit=<item>). Each form posts to its own view below."""
    episode = get_episode_for(request, episode_id, Permission.PATIENT_VIEW)
    today, ended = timezone.localdate(), program_end(episode)
    try:
        asked = DoseAskedForm(request.GET).checked()["edit"]
    except BadParameter as error:
        return _page_again(request, episode, error)
    dose_form = None if asked is None else _dose_form(None, episode, asked, ended, today)
    form = HomeProgramItemForm(exercises=_exercises(episode))
    return _program_page(request, episode, form, dose_form, today, ended)


@require_POST
def home_program_add(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.HOME_PROGRAM_EDIT)
    today, ended = timezone.localdate(), program_end(episode)
    form = HomeProgramItemForm(request.POST, exercises=_exercises(episode))
    if form.is_valid():
        try:
            actions.home_program_add(by=request.user, episode=episode, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Added to the home program.")
            return redirect("home_program", episode_id=episode.pk)
    return _program_page(request, episode, form, None, today, ended)


@require_POST
def home_program_dose(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.HOME_PROGRAM_EDIT)
    today, ended = timezone.localdate(), program_end(episode)
    try:
        item_id = DosePostedForm(request.POST).checked()["edit"]
    except BadParameter as error:
        return _page_again(request, episode, error)
    dose_form = _dose_form(request.POST, episode, item_id, ended, today)
    if dose_form.is_valid():
        try:
            actions.home_program_edit(
                by=request.user, item=dose_form.item, on=today, **dose_form.changes()
            )
        except ValidationError as error:
            apply_errors(dose_form, error)
        else:
            name = dose_form.item.exercise.name
            messages.success(request, f"The dose of {name} is changed from today.")
            return redirect("home_program", episode_id=episode.pk)
    form = HomeProgramItemForm(exercises=_exercises(episode))
    return _program_page(request, episode, form, dose_form, today, ended)


@require_POST
def home_program_stop(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.HOME_PROGRAM_EDIT)
    try:
        item_id = StopForm(request.POST).checked()["stop"]
    except BadParameter as error:
        return _page_again(request, episode, error)
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
            "touch_weeks": desensitization_progress(episode.pk),
            "ladder": LADDER,
            "can": can(request.user, episode.patient),
        },
        status=status,
    )


@require_safe
def home_program_sheet(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """A printable sheet of the program as it stands today, in the family's language (a PT
    printing it for a Spanish-speaking family prints it in Spanish)."""
    episode = get_episode_for(request, episode_id, Permission.PATIENT_VIEW)
    today = timezone.localdate()
    with translation.override(episode.patient.language_for(request.user)):
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
    and comes back. A desensitization exercise's tick carries its textures (TexturesForm): when
    they are wrong, the checklist comes back with the errors beside the fields and nothing is
    ticked."""
    episode = get_episode_for(
        request, episode_id, Permission.PATIENT_VIEW, write=Permission.EXERCISE_TICK
    )
    today = timezone.localdate()
    day = ChecklistDayForm(request.GET).checked()["day"]
    problem = ""
    textures_posted: TexturesForm | None = None
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
            textures = None
            if tick["done"] and item.exercise.category == Category.DESENSITIZATION:
                textures = TexturesForm(request.POST, item_id=item.pk)
            if textures is not None and not textures.is_valid():
                textures_posted = textures  # shown again with its errors, nothing written
            else:
                try:
                    actions.exercise_tick(
                        by=request.user,
                        item=item,
                        day=day,
                        done=tick["done"],
                        tolerated=textures.tolerated() if textures is not None else (),
                    )
                except ValidationError as error:
                    if textures is not None and hasattr(error, "error_dict"):
                        apply_errors(textures, error)
                        textures_posted = textures
                    else:
                        messages.error(request, " ".join(error.messages))
                if textures_posted is None and not request.htmx:
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
        "textures_posted": textures_posted,
    }
    status = 400 if problem else 200
    if request.htmx:
        return render(request, "homeprogram/_checklist.html", context, status=status)
    name = None if request.user.is_teen else episode.patient.first_name
    # The family reads this week and last: only those weeks are read.
    weeks = desensitization_progress(episode.pk, since=today - timedelta(weeks=1))
    context["touch_words"] = desensitization_words(weeks, today=today, name=name)
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
