"""Dates and times on every page follow the signed-in person's clinic's time zone."""

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class ClinicTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.clinic_id:
            with timezone.override(ZoneInfo(user.clinic.time_zone)):
                return self.get_response(request)
        return self.get_response(request)
