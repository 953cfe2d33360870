"""The clinic admin's wording page for one licensed instrument: type or paste the wording, see it
as a child or parent will (a live preview), and save it as the clinic's next wording revision.
And any instrument, with the clinic's wording, as a FHIR R4 Questionnaire to download."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import require_permission
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.forms import WordingForm, preview_form_class
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.instruments.queries import current_pack, instrument_with_text
from backto.clinical.fhir_questionnaire import questionnaire_resource
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instrument_packs import InstrumentPackError, apply_pack
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument

SOURCE = "typed on the wording page"


def _licensed_instrument(request: AuthenticatedHttpRequest, instrument_id: str) -> Instrument:
    """The newest version of an instrument whose wording a clinic installs (404 for an unknown
    one, or one whose wording ships with BackTo)."""
    require_permission(request, Permission.INSTRUMENT_MANAGE)
    instrument = instrument_registry().find(instrument_id)
    if instrument is None or instrument.licence.text_ships:
        raise Http404("No licensed questionnaire with this id.")
    return instrument


def _current(request: AuthenticatedHttpRequest, instrument: Instrument) -> PackContent | None:
    pack = current_pack(request.user.clinic, instrument)
    return pack.pack() if pack else None


def _preview(form: WordingForm, instrument: Instrument) -> dict[str, object]:
    """What the preview shows: the instrument with the typed wording, or what is still missing."""
    if not form.is_valid():
        missing = [form.fields[name].label for name in form.errors if name in form.fields]
        return {"preview_missing": [*missing, *form.non_field_errors()]}
    try:
        worded = apply_pack(instrument, form.pack(), source=SOURCE)
    except InstrumentPackError as error:
        return {"preview_missing": [str(error)]}
    return {"preview": worded, "preview_form": preview_form_class(worded)(auto_id="preview-%s")}


def _page(
    request: AuthenticatedHttpRequest, instrument: Instrument, form: WordingForm, status: int = 200
) -> HttpResponse:
    revisions = InstrumentPack.objects.filter(
        clinic=request.user.clinic, instrument_id=instrument.id, version=instrument.version
    ).order_by("-revision")
    current_revisions: dict[str, int] = {}
    for row in revisions:  # newest first: the first in each language is its current wording
        current_revisions.setdefault(row.language, row.revision)
    context = {
        "instrument": instrument,
        "form": form,
        "revisions": revisions,
        "current_revisions": set(current_revisions.values()),
    }
    if form.is_bound:
        context |= _preview(form, instrument)
    return render(request, "instruments/wording.html", context, status=status)


@require_http_methods(["GET", "POST"])
def wording(request: AuthenticatedHttpRequest, instrument_id: str) -> HttpResponse:
    instrument = _licensed_instrument(request, instrument_id)
    current = _current(request, instrument)
    if request.method == "GET":
        initial = WordingForm.initial_from(current)
        form = WordingForm(initial=initial, instrument=instrument, current=current)
        return _page(request, instrument, form)
    form = WordingForm(request.POST, instrument=instrument, current=current)
    if form.is_valid():
        try:
            row = instrument_pack_install(
                clinic=request.user.clinic, pack=form.pack(), source_name=SOURCE, by=request.user
            )
        except InstrumentPackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Saved the wording of {instrument.title} (revision {row.revision}). Families are "
                "given it from now on; answers already given keep the wording they were given "
                "with.",
            )
            return redirect("instrument_admin")
    return _page(request, instrument, form, status=400)


@require_POST
def wording_preview(request: AuthenticatedHttpRequest, instrument_id: str) -> HttpResponse:
    """The preview alone, as the page's script asks for it while the admin types; without
    script, the Preview button shows the whole page with it."""
    instrument = _licensed_instrument(request, instrument_id)
    form = WordingForm(request.POST, instrument=instrument, current=_current(request, instrument))
    if not request.htmx:
        return _page(request, instrument, form)
    context = {"instrument": instrument} | _preview(form, instrument)
    return render(request, "instruments/_preview.html", context)


@require_safe
def questionnaire_download(request: AuthenticatedHttpRequest, instrument_id: str) -> HttpResponse:
    """The instrument with the clinic's current wording as a FHIR R4 Questionnaire (JSON), for
    another FHIR system or a sister clinic (which installs it on its questionnaires page)."""
    require_permission(request, Permission.INSTRUMENT_MANAGE)
    if instrument_registry().find(instrument_id) is None:
        raise Http404("No questionnaire with this id.")
    instrument = instrument_with_text(request.user.clinic, instrument_id)
    resource = questionnaire_resource(instrument, base_url=settings.SITE_URL)
    audit(
        by=request.user,
        action=Action.EXPORT,
        object_type="instrumentpack",
        object_id=instrument.id,
        detail=f"{instrument.id} {instrument.version} as a FHIR Questionnaire",
    )
    response = HttpResponse(
        json.dumps(resource, indent=2, ensure_ascii=False), content_type="application/fhir+json"
    )
    filename = f"{instrument.id}-{instrument.version}.questionnaire.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
