"""Nothing shown to a signed-in person is kept by a browser or a proxy: a shared computer's
back button, disk cache or a caching proxy must not keep a child's record, a PDF report or an
exercise video after sign-out. Static files (served by WhiteNoise before this runs) stay
cacheable."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
