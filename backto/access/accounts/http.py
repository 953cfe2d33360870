"""Request types for views. LoginRequiredMiddleware guarantees a signed-in user on every view
not marked `login_not_required`, so views take an `AuthenticatedHttpRequest`."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from backto.access.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
