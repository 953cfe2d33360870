"""Passkeys (WebAuthn) through django-otp-webauthn's own views and scripts, with BackTo's rules:
a passkey is a second step only (never a sign-in without the password), adding one when another
device exists needs that device in this session and a recent confirmation (sudo mode), and
every passkey added or used is audited."""

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from backto.access.accounts import sudo, two_factor
from backto.access.accounts.middleware import two_factor_exempt
from backto.audit.log import audit
from backto.audit.models import Action


class ConfirmFirst(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "confirm_first"
    default_detail = "Confirm your password again before you add a passkey."


class PasskeyRegistrationBegin(BeginCredentialRegistrationView):
    def check_can_register(self) -> None:
        if two_factor.has_device(self.request.user) and not sudo.is_confirmed(self.request):
            raise ConfirmFirst()


class PasskeyRegistrationComplete(CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            if response.status_code == 200:
                user = self.request.user
                audit(
                    by=user,
                    action=Action.CREATE,
                    obj=user,
                    object_type="user",
                    detail="2-step: passkey added",
                )
        return response


class PasskeyAuthenticationComplete(CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> None:
        two_factor.second_step_passed(self.request, device)


app_name = "otp_webauthn"  # the name the library's template tags reverse
urlpatterns = [
    path(
        "registration/begin/",
        two_factor_exempt(PasskeyRegistrationBegin.as_view()),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        two_factor_exempt(PasskeyRegistrationComplete.as_view()),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        two_factor_exempt(BeginCredentialAuthenticationView.as_view()),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        two_factor_exempt(PasskeyAuthenticationComplete.as_view()),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        two_factor_exempt(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]
