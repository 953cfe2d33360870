"""Reading a token from a request: `Authorization: Bearer bt_…` (RFC 6750). The JSON API and
FHIR readers call this; a token never comes in an address or a cookie."""

from django.http import HttpRequest

from backto.access.accounts.models import User
from backto.access.apitokens.actions import token_user
from backto.access.apitokens.models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token(request: HttpRequest) -> str:
    """The token's words from the Authorization header, or "" when there is none."""
    kind, _, words = request.headers.get("Authorization", "").partition(" ")
    return words.strip() if kind.lower() == "bearer" else ""


def authenticate(request: HttpRequest) -> tuple[User, ApiToken] | None:
    """The person and token behind this request, or None. On success the request acts as that
    person from here on (`request.user`), so that the loaders and the audit log see them."""
    found = token_user(bearer_token(request))
    if found is not None:
        request.user = found[0]
        request.api_token = found[1]  # type: ignore[attr-defined]
    return found


def may_write(request: HttpRequest) -> bool:
    """Does the request's token allow this method? Reads always; writes only read-write tokens."""
    token: ApiToken | None = getattr(request, "api_token", None)
    return request.method in SAFE_METHODS or (token is not None and token.writes)
