"""The clinic admin's questionnaire page: which instruments the clinic asks, how often, and
installing the licensed wording of an instrument as a pack."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import require_permission
from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.instruments.queries import installed_packs
from backto.capabilities.measures.actions import clinic_template_set
from backto.capabilities.measures.queries import clinic_template
from backto.capabilities.measures.schedule import TemplateRow
from backto.clinical.instrument_packs import MAX_PACK_BYTES, InstrumentPackError, pack_from_json
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument

FREQUENCIES = [
    (0, "At baseline and discharge only"),
    (1, "Also every week, and at follow-ups"),
    (2, "Also every 2 weeks, and at follow-ups"),
    (4, "Also every 4 weeks, and at follow-ups"),
]


class PackUploadForm(forms.Form):
    pack = forms.FileField(
        label="Instrument pack file (JSON)",
        help_text="The item wording for one instrument version, from the authors or your licence.",
    )


@dataclass(frozen=True)
class InstrumentRow:
    instrument: Instrument
    pack: InstrumentPack | None
    in_template: bool
    every_weeks: int

    @property
    def wording(self) -> str:
        if self.instrument.text_available:
            return "ships with BackTo"
        return "not installed: families see short labels"


def measurable() -> list[Instrument]:
    """Instruments a clinic can schedule: scored ones (the diaries have their own pages)."""
    return [i for i in instrument_registry() if i.scoring is not None]


@require_http_methods(["GET", "POST"])
def questionnaires(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.INSTRUMENT_MANAGE)
    clinic = request.user.clinic
    upload = PackUploadForm()
    if request.method == "POST" and request.POST.get("form") == "pack":
        upload = PackUploadForm(request.POST, request.FILES)
        if upload.is_valid() and _install(request, upload):
            return redirect("instrument_admin")
    elif request.method == "POST":
        rows = []
        for instrument in measurable():
            if not request.POST.get(f"use-{instrument.id}") or not instrument.enabled:
                continue
            try:
                every = int(request.POST.get(f"every-{instrument.id}", "0"))
            except ValueError:
                every = -1
            rows.append(TemplateRow(instrument.id, instrument.respondent, every))
        try:
            cancelled = clinic_template_set(by=request.user, clinic=clinic, rows=rows)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                "Questionnaires saved."
                + (
                    f" {cancelled} pending ones of removed questionnaires were cancelled."
                    if cancelled
                    else ""
                ),
            )
            return redirect("instrument_admin")
    packs = installed_packs(clinic)
    template = {r.instrument_id: r for r in clinic_template(clinic)}
    listing = [
        InstrumentRow(
            instrument=i,
            pack=packs.get(i.key),
            in_template=i.id in template,
            every_weeks=template[i.id].every_weeks if i.id in template else 0,
        )
        for i in measurable()
    ]
    return render(
        request,
        "instruments/questionnaires.html",
        {"rows": listing, "upload": upload, "frequencies": FREQUENCIES},
    )


def _install(request: AuthenticatedHttpRequest, upload: PackUploadForm) -> bool:
    file = upload.cleaned_data["pack"]
    name = file.name[:200]
    if file.size > MAX_PACK_BYTES:
        upload.add_error("pack", f"The file is too large: at most {MAX_PACK_BYTES // 1024} KB.")
        return False
    try:
        pack = pack_from_json(file.read(MAX_PACK_BYTES + 1), source=name)
        instrument_pack_install(
            clinic=request.user.clinic, pack=pack, source_name=name, by=request.user
        )
    except InstrumentPackError as error:
        upload.add_error("pack", str(error))
        return False
    messages.success(request, f"Installed the wording of {pack.instrument} {pack.version}.")
    return True
