"""Sign-in, invitations, and the admin pages for staff and families."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts import actions, two_factor
from backto.access.accounts.forms import (
    ClinicSettingsForm,
    FamilyInvitationForm,
    GuardianAddChildForm,
    InvitationAcceptForm,
    SetActiveForm,
    SignInForm,
    StaffInvitationForm,
    StaffRolesForm,
)
from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.models import Invitation, StaffRole, User, UserKind
from backto.access.accounts.roles import STAFF_ROLES, Permission
from backto.access.accounts.sudo import sudo_required
from backto.access.patients.access import (
    audit_page_view,
    filters_detail,
    has_permission,
    require_permission,
)
from backto.access.patients.models import Guardianship, Patient
from backto.core.forms import apply_errors


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


sign_in = login_not_required(SignInView.as_view())


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = actions.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    # The page speaks the invited person's language, like the email that brought them here.
    with translation.override(invitation.language):
        request.LANGUAGE_CODE = invitation.language
        response = _invitation_page(request, invitation)
        response.headers["Content-Language"] = invitation.language
    return response


def _invitation_page(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = InvitationAcceptForm(
        request.POST or None,
        initial={
            "display_name": invitation.display_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.invitation_accept(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            login(request, user, backend="backto.access.accounts.backends.UsernameOrEmailBackend")
            messages.success(request, _("Welcome to BackTo. Your account is ready."))
            return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@require_http_methods(["GET", "POST"])
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.STAFF_MANAGE)
    if request.method == "POST":
        return _staff_invite(request)
    return _staff_page(request, StaffInvitationForm())


@sudo_required
def _staff_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new staff account comes with its roles: asked for like a role change."""
    form = StaffInvitationForm(request.POST)
    if form.is_valid():
        try:
            actions.invitation_create(by=request.user, kind=UserKind.STAFF, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("staff_list")
    return _staff_page(request, form)


def _staff_page(request: AuthenticatedHttpRequest, form: StaffInvitationForm) -> HttpResponse:
    staff = (
        User.objects.filter(clinic_id=request.user.clinic_id, kind=UserKind.STAFF)
        .prefetch_related(Prefetch("staff_roles", queryset=StaffRole.objects.order_by("role")))
        .order_by("-is_active", "username")
    )
    return render(request, "accounts/staff_list.html", {"staff": staff, "form": form})


@require_http_methods(["GET", "POST"])
@sudo_required
def staff_detail(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    require_permission(request, Permission.STAFF_MANAGE)
    member = get_object_or_404(
        User, pk=user_id, clinic_id=request.user.clinic_id, kind=UserKind.STAFF
    )
    form = StaffRolesForm(request.POST or None, initial={"roles": sorted(member.role_keys)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.staff_set_roles(by=request.user, user=member, roles=form.cleaned_data["roles"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Roles saved for {member.name}.")
            return redirect("staff_list")
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "member": member,
            "form": form,
            "roles": STAFF_ROLES.values(),
            "devices": two_factor.devices_summary(member),
        },
    )


def _managed_kinds(request: AuthenticatedHttpRequest) -> list[str]:
    """The kinds of account this person manages (staff, families), or a 403 for someone who
    manages none, whatever the id asked for. An account or invitation of a kind they do not
    manage is then not found, like an id that does not exist: the answer never tells which
    ids exist (a 403 for an existing one and a 404 for a missing one did)."""
    kinds: list[str] = []
    if has_permission(request.user, Permission.STAFF_MANAGE):
        kinds.append(UserKind.STAFF)
    if has_permission(request.user, Permission.FAMILY_MANAGE):
        kinds += [UserKind.GUARDIAN, UserKind.TEEN]
    if not kinds:
        require_permission(request, Permission.FAMILY_MANAGE)  # raises the audited 403
    return kinds


@require_POST
@sudo_required
def account_set_active(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(
        User, pk=user_id, clinic_id=request.user.clinic_id, kind__in=_managed_kinds(request)
    )
    active = SetActiveForm(request.POST).checked()["active"]
    try:
        actions.user_set_active(by=request.user, user=member, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        state = "reactivated" if active else "deactivated; their history is kept"
        messages.success(request, f"{member.name}'s account is {state}.")
    return redirect("staff_list" if member.is_staff_member else "family_list")


@require_http_methods(["GET", "POST"])
def family_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.FAMILY_MANAGE)
    clinic_id = request.user.clinic_id
    form = FamilyInvitationForm(request.POST or None, clinic_id=clinic_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.invitation_create(
                by=request.user,
                email=data["email"],
                kind=data["kind"],
                display_name=data["display_name"],
                patient=data["patient"],
                relationship=data["relationship"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {data['email']}.")
            return redirect("family_list")
    return _family_page(request, form, GuardianAddChildForm(clinic_id=clinic_id, prefix="link"))


@require_POST
def family_guardian_link(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Link an existing guardian account to another child (a sibling, a second household)."""
    require_permission(request, Permission.FAMILY_MANAGE)
    clinic_id = request.user.clinic_id
    form = GuardianAddChildForm(request.POST, clinic_id=clinic_id, prefix="link")
    if form.has_error("guardian", "invalid_choice") or form.has_error("patient", "invalid_choice"):
        raise Http404("No such guardian or child in this clinic.")
    if form.is_valid():
        guardian, patient = form.cleaned_data["guardian"], form.cleaned_data["patient"]
        try:
            actions.guardian_add_child(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{guardian.name} now follows {patient.name}'s program.")
            return redirect("family_list")
    return _family_page(request, FamilyInvitationForm(clinic_id=clinic_id), form)


def _family_page(
    request: AuthenticatedHttpRequest, form: FamilyInvitationForm, link_form: GuardianAddChildForm
) -> HttpResponse:
    patients = (
        Patient.objects.filter(clinic_id=request.user.clinic_id)
        .select_related("teen_account")
        .prefetch_related(
            Prefetch("guardianships", queryset=Guardianship.objects.select_related("guardian"))
        )
    )
    audit_page_view(request)  # every child and guardian of the clinic, one event
    return render(
        request,
        "accounts/family_list.html",
        {"patients": patients, "form": form, "link_form": link_form},
    )


@require_http_methods(["GET"])
def invitation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (request.user.permissions & {Permission.STAFF_MANAGE, Permission.FAMILY_MANAGE}):
        require_permission(request, Permission.STAFF_MANAGE)
    invitations = Invitation.objects.filter(clinic_id=request.user.clinic_id).select_related(
        "created_by", "patient"
    )
    page = Paginator(invitations, 50).get_page(request.GET.get("page"))
    audit_page_view(request, detail=filters_detail(page=page.number))
    return render(request, "accounts/invitation_list.html", {"page": page})


@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.pending(),
        pk=invitation_id,
        clinic_id=request.user.clinic_id,
        kind__in=_managed_kinds(request),
    )
    actions.invitation_revoke(by=request.user, invitation=invitation)
    messages.success(request, f"The invitation for {invitation.email} no longer works.")
    return redirect("invitation_list")


@require_POST
def invitation_resend(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """Send again an invitation nobody accepted (pending or expired), with a fresh link."""
    invitation = get_object_or_404(
        Invitation,
        pk=invitation_id,
        clinic_id=request.user.clinic_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        kind__in=_managed_kinds(request),
    )
    try:
        actions.invitation_resend(by=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"The invitation for {invitation.email} is on its way again; its new link works for "
            f"{settings.INVITATION_DAYS} days and the old one no longer does.",
        )
    return redirect("invitation_list")


@require_http_methods(["GET", "POST"])
@sudo_required
def clinic_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.CLINIC_SETTINGS)
    clinic = request.user.clinic
    form = ClinicSettingsForm(request.POST or None, request.FILES or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if fields.get("logo") is False:  # "clear" ticked
            fields["logo"] = ""
        actions.clinic_update(by=request.user, clinic=clinic, **fields)
        messages.success(request, "Clinic settings saved.")
        return redirect("clinic_settings")
    return render(request, "accounts/clinic_settings.html", {"form": form})
