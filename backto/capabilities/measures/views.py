"""Questionnaire pages: answering (one question per screen for children, the whole form for
parents and clinicians), the result, and the episode's measures with change."""

import contextlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    can,
    get_episode_for,
    has_permission,
)
from backto.access.patients.respondents import Respondent
from backto.capabilities.alerts.help import help_message, remember_help
from backto.capabilities.instruments.queries import instrument_with_text
from backto.capabilities.measures import actions
from backto.capabilities.measures.charts import series_chart
from backto.capabilities.measures.forms import (
    NavigationForm,
    QuestionnaireForm,
    questionnaire_form_class,
)
from backto.capabilities.measures.loaders import administration_for
from backto.capabilities.measures.models import Administration, AdminState
from backto.capabilities.measures.queries import (
    AT_VISIT,
    CLOSED_CODES,
    NO_LONGER_OFFERED,
    FamilyWording,
    episode_administrations,
    language_notes,
    last_asked_on,
    measure_series,
    refuse_closed,
)
from backto.clinical.instrument_registry import UnknownInstrumentError
from backto.clinical.instruments import Instrument
from backto.core.forms import apply_errors
from backto.core.languages import reader_language


def _unanswered(instrument: Instrument, answers: dict[str, Any]) -> list[tuple[int, str]]:
    """The questions asked (given the answers so far) that have no answer."""
    return [
        (number, item.label)
        for number, item in enumerate(instrument.asked_items, start=1)
        if answers.get(item.linkId) in (None, "", []) and item.enabled_by(answers)
    ]


@require_http_methods(["GET", "POST"])
def administration(request: AuthenticatedHttpRequest, administration_id: int) -> HttpResponse:
    adm = administration_for(request, administration_id)
    patient = adm.episode.patient
    context: dict[str, Any] = {
        "help_message": help_message(request, patient),
        "adm": adm,
        "patient": patient,
        # presentation, not access: the family's pages and words; the score they leave out is
        # measure_view's, which the loader asked of everyone else
        "family_view": not request.user.is_staff_member,
    }
    # presentation, not access: a family is never shown a form without its words, nor one the
    # care team asks in clinic; it is gone through at the next visit
    if (
        context["family_view"]
        and adm.state != AdminState.COMPLETED
        and FamilyWording(patient.clinic).at_visit(adm)
    ):
        context["closed"] = _(AT_VISIT)
        status = 409 if request.method == "POST" else 200
        return render(request, "measures/closed.html", context, status=status)
    try:
        refuse_closed(adm)
        # in the language pinned at the first answer, else the reader's: the clinic's wording in
        # it, a translation shipped with BackTo, or else English (and the care team is told)
        instrument = instrument_with_text(
            patient.clinic,
            adm.instrument_id,
            adm.instrument_version or None,
            adm.wording_revision,
            language=adm.language or reader_language(),
        )
    except (ValidationError, UnknownInstrumentError) as error:
        if adm.state == AdminState.COMPLETED and request.method == "GET":
            return _result(request, adm, context)
        context["closed"] = (
            error.messages[0] if isinstance(error, ValidationError) else _(NO_LONGER_OFFERED)
        )
        status = 409 if request.method == "POST" else 200
        return render(request, "measures/closed.html", context, status=status)
    context["instrument"] = instrument
    if instrument.covers_time_since_last_asked and instrument.scoring and instrument.scoring.rate:
        # the time the answers cover: since the last completed form, or the first one's months
        context["covers"] = {
            "since": last_asked_on(adm),
            "months": instrument.scoring.rate.first_months,
        }
    # presentation, not access: a child answers one question per screen, staff enter the whole form
    if adm.respondent == Respondent.CHILD and not request.user.is_staff_member:
        return _one_per_screen(request, adm, instrument, context)
    return _whole_form(request, adm, instrument, context)


def _save(
    request: AuthenticatedHttpRequest,
    adm: Administration,
    form: QuestionnaireForm,
    *,
    finish: bool,
    context: dict[str, Any],
) -> actions.Saved | HttpResponse | None:
    """Call the action; a refused resubmission answers 409 with the reason, other errors go
    on the form (None)."""
    try:
        return actions.administration_answer(
            by=request.user,
            administration=adm,
            answers=form.answers(),
            finish=finish,
            language=context["instrument"].language,
            reader_language=reader_language(),
        )
    except ValidationError as error:
        if getattr(error, "code", None) in CLOSED_CODES:
            context["closed"] = error.messages[0]
            return render(request, "measures/closed.html", context, status=409)
        apply_errors(form, error)
        return None


def _remember_help(request: AuthenticatedHttpRequest, saved: actions.Saved) -> None:
    # presentation, not access: the clinic's help message is for the family who gave the answer,
    # not for staff entering a form from paper (the alert itself goes to the care team)
    if saved.safety and not request.user.is_staff_member:
        remember_help(request, saved.administration.episode.patient_id)


def _after_finish(request: AuthenticatedHttpRequest, saved: actions.Saved) -> HttpResponse:
    _remember_help(request, saved)
    return redirect("administration", administration_id=saved.administration.pk)


def _whole_form(
    request: AuthenticatedHttpRequest,
    adm: Administration,
    instrument: Instrument,
    context: dict[str, Any],
) -> HttpResponse:
    form = questionnaire_form_class(instrument)(request.POST or None, initial=adm.answers)
    confirm = False
    if request.method == "POST" and form.is_valid():
        navigation = NavigationForm(request.POST, request.GET)
        finish = navigation.finish
        gaps = _unanswered(instrument, form.answers())
        if finish and gaps and not navigation.confirmed:
            form.add_error(
                None,
                ngettext(
                    "%(count)d question is not answered: %(questions)s. Answer it, or press "
                    "Finish again to finish without it.",
                    "%(count)d questions are not answered: %(questions)s. Answer them, or press "
                    "Finish again to finish without them.",
                    len(gaps),
                )
                % {"count": len(gaps), "questions": ", ".join(label for _n, label in gaps)},
            )
            confirm = True
        else:
            saved = _save(request, adm, form, finish=finish, context=context)
            if isinstance(saved, HttpResponse):
                return saved
            if saved is not None:
                if finish:
                    return _after_finish(request, saved)
                _remember_help(request, saved)
                messages.success(request, _("Saved. You can come back and finish later."))
                return redirect("home")
    context |= {"form": form, "confirm": confirm}
    return render(request, "measures/whole_form.html", context)


def _one_per_screen(
    request: AuthenticatedHttpRequest,
    adm: Administration,
    instrument: Instrument,
    context: dict[str, Any],
) -> HttpResponse:
    items = instrument.asked_items
    gaps = _unanswered(instrument, adm.answers)
    navigation = NavigationForm(request.POST, request.GET)
    number = navigation.question(len(items))
    if number is None:  # resume at the first question not answered yet
        number = gaps[0][0] if gaps else len(items)
    item = items[number - 1]
    form = questionnaire_form_class(instrument, (item,))(request.POST or None, initial=adm.answers)
    confirm = False
    if request.method == "POST" and form.is_valid():
        finish = navigation.finish and number == len(items)
        after = {**adm.answers, **form.answers()}
        gaps = _unanswered(instrument, after)
        confirm = finish and bool(gaps) and not navigation.confirmed
        saved = _save(request, adm, form, finish=finish and not confirm, context=context)
        if isinstance(saved, HttpResponse):
            return saved
        if saved is not None:
            if finish and not confirm:
                return _after_finish(request, saved)
            _remember_help(request, saved)
            if not confirm:
                step = max(1, number - 1) if navigation.back else min(len(items), number + 1)
                return redirect(reverse("administration", args=[adm.pk]) + f"?q={step}")
    context |= {
        "form": form,
        "number": number,
        "count": len(items),
        "last": number == len(items),
        "confirm": confirm,
        "gaps": gaps if confirm else [],
    }
    return render(request, "measures/one_per_screen.html", context)


def _result(
    request: AuthenticatedHttpRequest, adm: Administration, context: dict[str, Any]
) -> HttpResponse:
    instrument = None
    with contextlib.suppress(UnknownInstrumentError):
        instrument = instrument_with_text(
            adm.episode.patient.clinic,
            adm.instrument_id,
            adm.instrument_version,
            adm.wording_revision,
            language=adm.language or reader_language(),
        )
    answers = []
    patient = adm.episode.patient
    if instrument is not None and has_permission(
        request.user, Permission.MEASURE_ANSWERS_VIEW, patient
    ):
        for item in instrument.items:
            value = adm.answers.get(item.linkId)
            shown = next((o.label for o in item.answerOption if o.value == value), value)
            answers.append((item.label, item.text, "—" if value is None else shown))
    alerted = [
        instrument.item(link).label if instrument and link in instrument.link_ids else link
        for link in adm.result.get("alerts", [])
    ]
    rate = instrument.scoring.rate if instrument and instrument.scoring else None
    context |= {
        "instrument": instrument,
        "per": rate.per_months if rate else None,  # a count per N months (healthcare use)
        "covered": adm.answers.get(rate.months_item) if rate else None,
        "answers": answers,
        "result": adm.result,
        "alerted": alerted,
        "language_note": language_notes([adm], patient.clinic).get(adm.pk, ""),
    }
    return render(request, "measures/result.html", context)


@require_safe
def episode_measures(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.MEASURE_VIEW)
    administrations = episode_administrations(episode.pk)
    series = measure_series(administrations)
    notes = language_notes(administrations, episode.patient.clinic)
    for adm in administrations:  # the care team is told the language each was answered in
        adm.language_note = notes.get(adm.pk, "")  # type: ignore[attr-defined]
    return render(
        request,
        "measures/episode_measures.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "series": [(s, series_chart(s)) for s in series],
            "administrations": administrations,
            "can": can(request.user, episode.patient),
        },
    )
