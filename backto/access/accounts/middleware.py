"""Dates and times on every page follow the signed-in person's clinic's time zone; a second
step, where one is due, comes before any page."""

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation

from backto.access.accounts.two_factor import has_device, second_step_due


class ClinicTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.clinic_id:
            with timezone.override(ZoneInfo(user.clinic.time_zone)):
                return self.get_response(request)
        return self.get_response(request)


class AccountLanguageMiddleware:
    """A signed-in person reads BackTo in the language of their account; before signing in,
    LocaleMiddleware has already chosen from the browser's languages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.language:
            return self.get_response(request)
        # For this request only: the thread goes back to its language afterwards.
        with translation.override(user.language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


View = TypeVar("View", bound=Callable[..., Any])


def two_factor_exempt(view: View) -> View:
    """Mark a view a signed-in person may open before their second step (the two-step pages
    themselves, the passkey ceremonies, signing out)."""
    view.two_factor_exempt = True  # type: ignore[attr-defined]
    return view


class TwoFactorMiddleware:
    """Nothing but the two-step pages for a person whose second step is due: a staff member of a
    clinic that asks for it, or anyone with a device. No record is shown before it; a staff
    member without a device yet is sent to set one up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if getattr(view_func, "two_factor_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if not second_step_due(request):
            return None
        user = request.user
        name = "two_factor_verify" if has_device(user) else "two_factor_setup"  # type: ignore[arg-type]
        back = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        url = reverse(name) + (f"?{urlencode({'next': back})}" if back else "")
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return HttpResponseRedirect(url)
