"""The clinic admin's questionnaires page: which instruments the clinic asks and how often (the
measures' clinic template), with each one's wording and the upload of a wording pack (the
instruments' own action)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import require_permission
from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.forms import PackUploadForm
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.instruments.queries import installed_packs
from backto.capabilities.measures.actions import clinic_template_set
from backto.capabilities.measures.forms import ClinicTemplateForm
from backto.capabilities.measures.queries import clinic_template
from backto.clinical.instrument_packs import InstrumentPackError
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument

FREQUENCIES = [
    (0, "At baseline and discharge only"),
    (1, "Also every week, and at follow-ups"),
    (2, "Also every 2 weeks, and at follow-ups"),
    (4, "Also every 4 weeks, and at follow-ups"),
]


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
        return "not installed: asked at the next visit, entered from your paper form"


def measurable() -> list[Instrument]:
    """Instruments a clinic can schedule: scored ones (the diaries have their own pages)."""
    return [i for i in instrument_registry() if i.scoring is not None]


def _page(request: AuthenticatedHttpRequest, upload: PackUploadForm) -> HttpResponse:
    clinic = request.user.clinic
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
        "measures/questionnaires.html",
        {"rows": listing, "upload": upload, "frequencies": FREQUENCIES},
    )


@require_http_methods(["GET", "POST"])
def questionnaires(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.INSTRUMENT_MANAGE)
    if request.method == "POST":
        rows = ClinicTemplateForm(request.POST, instruments=measurable()).rows()
        try:
            cancelled = clinic_template_set(by=request.user, clinic=request.user.clinic, rows=rows)
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
    return _page(request, PackUploadForm())


@require_POST
def questionnaire_pack_install(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.INSTRUMENT_MANAGE)
    upload = PackUploadForm(request.POST, request.FILES)
    if upload.is_valid():
        pack = upload.cleaned_data["pack"]
        try:
            instrument_pack_install(
                clinic=request.user.clinic,
                pack=pack,
                source_name=upload.source_name,
                by=request.user,
                own_licensee=upload.from_fhir,
            )
        except InstrumentPackError as error:
            upload.add_error("pack", str(error))
        else:
            messages.success(request, f"Installed the wording of {pack.instrument} {pack.version}.")
            return redirect("instrument_admin")
    return _page(request, upload)
