"""Sudo mode: a few minutes (BACKTO_SUDO_MINUTES, 10) after a person last typed their password or
a second step, they may export, change accounts, roles, two-step sign-in and clinic settings.
Later, `@sudo_required` sends them to confirm it is still them, and back.

Signing in counts as confirming; the time is kept in the session, which every app server shares.
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "backto_confirmed_at"


def confirmed_now(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time()


def is_confirmed(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_KEY)
    return isinstance(at, int | float) and 0 <= time.time() - at < settings.SUDO_SECONDS


def safe_next(request: HttpRequest, url: str | None, default: str = "") -> str:
    """`url` if it stays on this site, else `default` (or the home page)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def confirm_url(request: HttpRequest) -> str:
    """Where to confirm, coming back here: to this page for a GET, to the page the form was on
    for a POST (its answers are not kept: the person sends it again, now confirmed)."""
    if request.method in ("GET", "HEAD"):
        back = request.get_full_path()
    else:
        back = safe_next(request, request.headers.get("Referer"))
    return f"{reverse('sudo_confirm')}?{urlencode({'next': back})}"


def sudo_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_confirmed(request):
            return view(request, *args, **kwargs)
        url = confirm_url(request)
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return HttpResponseRedirect(url)

    return wrapper
