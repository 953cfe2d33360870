"""The two-step pages: set up a passkey or an authenticator app, see recovery codes once, take
the second step at sign-in, remove a device; an admin's reset for a staff member who lost theirs;
and confirming one's password again (sudo mode)."""

from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from backto.access.accounts import sudo, two_factor
from backto.access.accounts.forms import AppSetupForm, ConfirmForm, SecondStepForm
from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.middleware import two_factor_exempt
from backto.access.accounts.models import User, UserKind
from backto.access.accounts.roles import Permission
from backto.access.patients.access import require_permission
from backto.core.forms import apply_errors

APP_KEY = "backto_app_key"
NEW_CODES = "backto_new_recovery_codes"


def _next(request: HttpRequest) -> str:
    return sudo.safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _unverified_with_device(request: AuthenticatedHttpRequest) -> bool:
    """Someone who has a device but has not used it in this session may not add another."""
    return not two_factor.is_verified(request.user) and two_factor.has_device(request.user)


@two_factor_exempt
@sudo.sudo_required
@require_http_methods(["GET"])
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose a passkey or an authenticator app (the page a staff member's first sign-in opens
    on, and where anyone adds another)."""
    if _unverified_with_device(request):
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_setup')}")
    context = {
        "next": _next(request),
        "first": not two_factor.has_sign_in_device(request.user),
        "has_app": any(d.kind == "app" for d in two_factor.devices_summary(request.user)),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@two_factor_exempt
@sudo.sudo_required
@require_http_methods(["GET", "POST"])
def two_factor_app(request: AuthenticatedHttpRequest) -> HttpResponse:
    if _unverified_with_device(request):
        return redirect("two_factor_verify")
    key = request.session.get(APP_KEY) or two_factor.new_app_key()
    request.session[APP_KEY] = key
    form = AppSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.app_add(by=request.user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            del request.session[APP_KEY]
            if not two_factor.is_verified(request.user):
                two_factor.second_step_passed(request, device)
            return _after_first_device(request)
    uri = two_factor.app_setup_uri(request.user, key)
    context = {
        "form": form,
        "qr": two_factor.qr_code_svg(uri),
        "secret": two_factor.app_secret_for_typing(key),
        "next": _next(request),
    }
    return render(request, "accounts/two_factor_app.html", context)


def _after_first_device(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = two_factor.recovery_codes_if_missing(by=request.user)
    if codes:
        request.session[NEW_CODES] = codes
    messages.success(request, _("Two-step sign-in is on for your account."))
    return redirect(f"{reverse('two_factor_recovery_codes')}?next={_next(request)}")


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New recovery codes are shown once, straight after they are made."""
    if request.method == "POST":
        return _recovery_codes_new(request)
    if not two_factor.is_verified(request.user) and two_factor.second_step_due(request):
        return redirect("two_factor_verify")
    if NEW_CODES not in request.session and two_factor.has_sign_in_device(request.user):
        # A first passkey was just registered by its script: its codes are made here.
        codes = two_factor.recovery_codes_if_missing(by=request.user)
        if codes:
            request.session[NEW_CODES] = codes
    codes = request.session.pop(NEW_CODES, None)
    return render(
        request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next(request)}
    )


@sudo.sudo_required
def _recovery_codes_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not two_factor.has_sign_in_device(request.user):
        messages.error(request, _("Set up a passkey or an authenticator app first."))
        return redirect("my_account")
    request.session[NEW_CODES] = two_factor.recovery_codes_new(by=request.user)
    return redirect(f"{reverse('two_factor_recovery_codes')}?next={reverse('my_account')}")


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step at sign-in: a passkey, an app's code or a recovery code."""
    user = request.user
    if two_factor.is_verified(user):
        return redirect(_next(request))
    if not two_factor.has_device(user):
        return redirect(f"{reverse('two_factor_setup')}?next={_next(request)}")
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(user=user, code=form.cleaned_data["code"])
        if device is None:
            two_factor.second_step_refused(user)
            form.add_error(
                "code",
                _(
                    "That code does not work. Codes change every 30 seconds; a recovery code "
                    "works once. After several wrong codes, wait a little before the next try."
                ),
            )
        else:
            two_factor.second_step_passed(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                words = ngettext(
                    "You have %(left)d recovery code left; make new ones in My account.",
                    "You have %(left)d recovery codes left; make new ones in My account.",
                    left,
                )
                messages.warning(request, words % {"left": left})
            return redirect(_next(request))
    devices = two_factor.devices_summary(user)
    context = {
        "form": form,
        "next": _next(request),
        "passkey": any(d.kind == "passkey" for d in devices),
        "app": any(d.kind == "app" for d in devices),
    }
    return render(request, "accounts/two_factor_verify.html", context)


@sudo.sudo_required
@require_POST
def two_factor_device_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        two_factor.device_remove(by=request.user, persistent_id=request.POST.get("device", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if not two_factor.has_device(request.user):
            request.session[two_factor.SESSION_KEY] = False
            messages.success(request, _("Two-step sign-in is off for your account."))
        else:
            messages.success(request, _("Removed."))
    return redirect(f"{reverse('my_account')}#two-step")


@sudo.sudo_required
@require_POST
def staff_two_factor_reset(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    require_permission(request, Permission.STAFF_MANAGE)
    member = get_object_or_404(
        User, pk=user_id, clinic_id=request.user.clinic_id, kind=UserKind.STAFF
    )
    try:
        two_factor.two_factor_reset(by=request.user, user=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{member.name}'s two-step sign-in is reset: they set up a new passkey or app at "
            "their next sign-in.",
        )
    return redirect("staff_detail", user_id=member.pk)


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def sudo_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Confirm it is still you: the password (counted by the sign-in pause, like a sign-in) or
    a code from your app or recovery codes (slowed down after wrong ones)."""
    user = request.user
    codes = any(d.kind in ("app", "recovery") for d in two_factor.devices_summary(user))
    form = ConfirmForm(request.POST or None, codes=codes)
    if request.method == "POST" and form.is_valid():
        password, code = form.cleaned_data["password"], form.cleaned_data.get("code")
        if password:
            ok = authenticate(request, username=user.get_username(), password=password) == user
        else:
            ok = two_factor.verify_code(user=user, code=code or "") is not None
        if ok:
            sudo.confirmed_now(request)
            return redirect(_next(request))
        form.add_error(None, _("That does not match. Try again, or sign out and back in."))
    return render(request, "accounts/sudo_confirm.html", {"form": form, "next": _next(request)})
