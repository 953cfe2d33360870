"""A child's medicine list (read with the record; kept by the family and the care team;
confirmed by a physician) and the clinic's list of medicine names."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    audit_page_view,
    can,
    get_patient_for,
    get_record_for,
    require_permission,
)
from backto.access.patients.models import Patient
from backto.capabilities.medicines import actions, queries
from backto.capabilities.medicines.forms import (
    MedicineForm,
    NameEditForm,
    NameForm,
    StopForm,
    initial_for,
)
from backto.capabilities.medicines.models import Medicine, MedicineName
from backto.core.forms import apply_errors


def _language(request: AuthenticatedHttpRequest, patient: Patient) -> str:
    """The language of the family's words: theirs as they type, the family's when the care
    team writes them down."""
    user = request.user
    return patient.family_language if user.is_staff_member else user.language


@require_http_methods(["GET", "POST"])
def medicine_list(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """The child's medicines; a POST adds one."""
    patient = get_patient_for(
        request, patient_id, Permission.PATIENT_VIEW, write=Permission.MEDICINE_LIST_EDIT
    )
    form = MedicineForm(
        request.POST or None,
        names=queries.names_offered(patient.clinic),
        language=_language(request, patient),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.medicine_add(by=request.user, patient=patient, **form.entry())
        except ValidationError as error:
            apply_errors(form, error, MedicineForm.field_for)
        else:
            messages.success(request, _("Saved. A physician of the care team confirms the list."))
            return redirect("medicine_list", patient_id=patient.pk)
    entries = queries.medicines_of(patient)
    return render(
        request,
        "medicines/medicine_list.html",
        {
            "patient": patient,
            "current": [m for m in entries if not m.stopped],
            "stopped": [m for m in entries if m.stopped],
            "state": queries.list_state(entries),
            "shown": queries.list_token(entries),
            "form": form,
            "can": can(request.user, patient),
            "family_language": patient.family_language,
        },
        status=400 if form.errors else 200,
    )


def _medicine(request: AuthenticatedHttpRequest, medicine_id: int, read: Any) -> Medicine:
    return get_record_for(
        request,
        Medicine.objects.all(),
        medicine_id,
        read,
        write=Permission.MEDICINE_LIST_EDIT,
        patient_path="patient",
    )


@require_http_methods(["GET", "POST"])
def medicine_edit(request: AuthenticatedHttpRequest, medicine_id: int) -> HttpResponse:
    medicine = _medicine(request, medicine_id, Permission.MEDICINE_LIST_EDIT)
    patient = medicine.patient
    names = queries.names_offered(patient.clinic)
    if medicine.from_list and medicine.name not in names:
        names.append(medicine.name)  # dropped from the clinic's list since: still this one's
    form = MedicineForm(
        request.POST or None,
        names=names,
        language=_language(request, patient),
        initial=initial_for(medicine, names),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.medicine_edit(by=request.user, medicine=medicine, **form.entry())
        except ValidationError as error:
            apply_errors(form, error, MedicineForm.field_for)
        else:
            messages.success(request, _("Saved. A physician of the care team confirms the change."))
            return redirect("medicine_list", patient_id=patient.pk)
    return render(
        request,
        "medicines/medicine_edit.html",
        {"patient": patient, "medicine": medicine, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def medicine_stop(request: AuthenticatedHttpRequest, medicine_id: int) -> HttpResponse:
    medicine = _medicine(request, medicine_id, Permission.MEDICINE_LIST_EDIT)
    form = StopForm(request.POST)
    if form.is_valid():
        try:
            actions.medicine_stop(by=request.user, medicine=medicine, **form.stop())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Marked as stopped: %(name)s.") % {"name": medicine.name})
    else:
        messages.error(request, _("Choose the day it stopped (or a day in that month)."))
    return redirect("medicine_list", patient_id=medicine.patient_id)


@require_POST
def medicines_confirm(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """A physician confirms the list as they were shown it (`shown`, its token)."""
    patient = get_patient_for(request, patient_id, Permission.MEDICINE_LIST_CONFIRM)
    try:
        count = actions.medicines_confirm(
            by=request.user, patient=patient, shown=request.POST.get("shown", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Confirmed: %(count)s entry, as shown.",
                "Confirmed: %(count)s entries, as shown.",
                count,
            )
            % {"count": count},
        )
    return redirect("medicine_list", patient_id=patient.pk)


# --- The clinic's names ---------------------------------------------------------------------------


def _names_page(
    request: AuthenticatedHttpRequest, form: NameForm, status: int = 200
) -> HttpResponse:
    clinic = request.user.clinic
    rows = list(MedicineName.objects.filter(clinic=clinic))
    return render(
        request,
        "medicines/medicine_names.html",
        {
            "rows": [
                (
                    row,
                    NameEditForm(
                        prefix=f"n{row.pk}",
                        current=row.name,
                        initial={"new_name": row.name, "active": row.active},
                    ),
                )
                for row in rows
            ],
            "starter": [] if rows else queries.names_offered(clinic),
            "form": form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def medicine_names(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The clinic's short list of names; a POST adds one."""
    require_permission(request, Permission.MEDICINE_NAMES_EDIT)
    form = NameForm(request.POST or None)
    if request.method == "GET":
        audit_page_view(request)
    elif form.is_valid():
        try:
            made = actions.medicine_name_add(
                by=request.user, clinic=request.user.clinic, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Added “%(name)s” to the list.") % {"name": made.name})
            return redirect("medicine_names")
    return _names_page(request, form, status=400 if form.errors else 200)


@require_POST
def medicine_names_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.MEDICINE_NAMES_EDIT)
    actions.medicine_names_start(by=request.user, clinic=request.user.clinic)
    messages.success(request, _("The clinic now keeps its own list. Change it below."))
    return redirect("medicine_names")


@require_POST
def medicine_name_save(request: AuthenticatedHttpRequest, medicine_name_id: int) -> HttpResponse:
    require_permission(request, Permission.MEDICINE_NAMES_EDIT)
    row = MedicineName.objects.filter(pk=medicine_name_id, clinic_id=request.user.clinic_id).first()
    if row is None:
        raise Http404("No such name on the clinic's list.")
    form = NameEditForm(request.POST, prefix=f"n{row.pk}")
    if form.is_valid():
        try:
            actions.medicine_name_save(by=request.user, name=row, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Saved “%(name)s”.") % {"name": form.cleaned_data["new_name"]}
            )
    else:
        messages.error(request, _("Write the medicine's name."))
    return redirect("medicine_names")
