"""Who calls the JSON API: a personal access token (`Authorization: Bearer bt_…`), or the
signed-in session of BackTo's own pages (with its CSRF token for a write), so that the family's
app and a hospital's script go through the same endpoints and the same rules."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from backto.access.accounts.two_factor import second_step_due
from backto.access.apitokens.http import authenticate, may_write


class ReadOnlyToken(Exception):
    """A read-only token was used to change something."""


class TokenAuth(HttpBearer):
    openapi_description = (
        "A personal access token made on My account → API tokens (staff), sent as "
        "`Authorization: Bearer bt_…`. It acts as the person who made it; a read-only token "
        "cannot change anything."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = authenticate(request)
        if found is None:
            return None
        if not may_write(request):
            raise ReadOnlyToken
        return found[0]


class PageSession(SessionAuth):
    """The signed-in session of BackTo's pages; a write needs the page's CSRF token."""

    openapi_description = "The session cookie of a person signed in to BackTo's pages."

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        # A session whose second sign-in step is still due reaches nothing, as on the pages
        # (the API's views are not behind the two-step middleware: they check it here).
        if second_step_due(request):
            return None
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def api_auth() -> list[Any]:
    return [TokenAuth(), PageSession()]
