"""/api/v1/: the JSON API's addresses. Its views check the caller themselves (a token or the
session, docs/api.md), so they are outside the pages' sign-in redirect and CSRF middleware: a
script gets a 401 problem, not a sign-in page, and a session's write is checked for its CSRF
token by the API's own session check."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from backto.readers.api.api import api
from backto.readers.api.problems import problem


def _checks_its_own_caller(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return login_not_required(csrf_exempt(checked))


def _api_patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    return [
        URLPattern(p.pattern, _checks_its_own_caller(p.callback), p.default_args, p.name)
        for p in patterns
        if isinstance(p, URLPattern)
    ]


@login_not_required
@csrf_exempt
def no_such_address(request: HttpRequest) -> HttpResponse:
    """An address under /api/v1/ that no endpoint has (a typo, an id that is not a number): a
    problem like every other answer of the API, not the pages' HTML."""
    return problem(404, "No such address in /api/v1/: see /api/v1/openapi.json.")


urlpatterns = [
    path("api/v1/", include((_api_patterns(), "api"), namespace="api")),
    re_path(r"^api/v1/", no_such_address),
]
