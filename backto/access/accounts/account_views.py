"""A person's own account: "My account" (name, email, password, credentials), and a forgotten
password reset by email, on Django's own reset views, forms and tokens."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from backto.access.accounts import actions, sudo, two_factor
from backto.access.accounts.forms import (
    AccountDetailsForm,
    EmailChangeForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
)
from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.core.forms import apply_errors

TOO_MANY_RESETS = gettext_lazy(
    "Several reset emails have been asked for in the last hour, so we are not sending another "
    "one yet. Please look for the ones already sent (check the spam folder too), or try again "
    "in an hour. Your clinic can also help you sign in."
)


class PasswordResetRequestView(auth_views.PasswordResetView):
    """The same answer whether or not an account has the address. The email is sent by the
    tasks worker (`actions.password_reset_request`), never in the request."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"

    def form_valid(self, form: Any) -> HttpResponse:
        if not actions.password_reset_request(email=form.cleaned_data["email"]):
            context = self.get_context_data(form=form, too_many=TOO_MANY_RESETS)
            return self.render_to_response(context, status=429)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django checks the link's token; the new password is set by an action, which audits it
    and lifts a sign-in pause for the account."""

    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form: Any) -> HttpResponse:
        actions.password_reset_complete(user=self.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
        return {**super().get_context_data(**kwargs), "minutes": minutes}


password_reset = login_not_required(PasswordResetRequestView.as_view())
password_reset_done = login_not_required(PasswordResetDoneView.as_view())
password_reset_confirm = login_not_required(PasswordResetConfirmView.as_view())
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/password_reset_complete.html"
    )
)


def _forms(request: AuthenticatedHttpRequest, posted: str = "") -> dict[str, BaseForm]:
    """The page's three small forms by part, the `posted` one bound to the post it answers."""
    user = request.user

    def data(name: str) -> Any:
        return request.POST if posted == name else None

    return {
        "details": AccountDetailsForm(
            data("details"),
            prefix="details",
            staff=user.is_staff_member,
            initial={
                "display_name": user.display_name,
                "credentials": user.credentials,
                "language": user.language,
            },
        ),
        "email": EmailChangeForm(data("email"), prefix="email"),
        "password": PasswordChangeForm(user, data("password"), prefix="password"),
    }


def _page(request: AuthenticatedHttpRequest, forms: dict[str, BaseForm]) -> HttpResponse:
    context: dict[str, Any] = {f"{name}_form": form for name, form in forms.items()}
    context["confirmed"] = sudo.is_confirmed(request)
    context["devices"] = two_factor.devices_summary(request.user)
    context["sign_in_device"] = any(d.kind in ("app", "passkey") for d in context["devices"])
    context["perms_api_tokens"] = Permission.API_TOKENS in request.user.permissions
    return render(request, "accounts/my_account.html", context)


@require_safe
def my_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Three small forms on one page, each posting to its own view below. The email and password
    forms, and the two-step section, show once the person has confirmed it is them."""
    return _page(request, _forms(request))


def _save(
    request: AuthenticatedHttpRequest, part: str, save: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """Save the page's form `part` through `save` (which gives the message to show), or show the
    page again with what is wrong."""
    forms = _forms(request, posted=part)
    form = forms[part]
    if form.is_valid():
        try:
            done = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("my_account")
    return _page(request, forms)


def _confirm_first(part: str) -> HttpResponse:
    """Where a stolen session would do lasting harm (the email, the password), the person confirms
    it is them first (sudo mode), and comes back to this part of the page."""
    return redirect(f"{reverse('sudo_confirm')}?next={reverse('my_account')}%23{part}")


@require_POST
def my_account_details(request: AuthenticatedHttpRequest) -> HttpResponse:
    def save(data: dict[str, Any]) -> str:
        if not data.get("language"):
            data.pop("language", None)
        account = actions.account_update(by=request.user, **data)
        translation.activate(account.language)  # the answer comes in the language just chosen
        return gettext("Your details are saved.")

    return _save(request, "details", save)


@require_POST
def my_account_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not sudo.is_confirmed(request):
        return _confirm_first("email")

    def save(data: dict[str, Any]) -> str:
        actions.account_email_change(
            by=request.user, email=data["email"], current_password=data["current_password"]
        )
        return gettext("Your email is now %(email)s.") % {"email": request.user.email}

    return _save(request, "email", save)


@require_POST
def my_account_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not sudo.is_confirmed(request):
        return _confirm_first("password")

    def save(data: dict[str, Any]) -> str:
        actions.account_password_change(
            by=request.user, current_password=data["old_password"], password=data["new_password1"]
        )
        update_session_auth_hash(request, request.user)  # this device stays signed in
        return gettext("Your password is changed. Other devices will ask for the new one.")

    return _save(request, "password", save)
