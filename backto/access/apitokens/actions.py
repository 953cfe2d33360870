"""Making, revoking and checking personal access tokens: one transaction and one audit event
each. A token's use is audited by the reader it is used on (each API call's read or write)."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.apitokens.models import PREFIX, ApiToken, TokenScope, token_digest
from backto.audit.log import audit
from backto.audit.models import Action

# How long a token may live: a person picks one of these (days), a year at most.
LIFETIMES = (7, 30, 90, 365)
# A token's last use is written at most this often, so that a script's calls do not each write.
LAST_USED_EVERY = timedelta(minutes=5)


class TokenRefused(ValueError):
    """A token that cannot be made, with the field and what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def token_create(*, by: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `by`: the saved row and the token's words, which are never stored and
    must be shown to the person now."""
    name = name.strip()
    if not name:
        raise TokenRefused("name", "Give the token a name that says what it is for.")
    if len(name) > 80:
        raise TokenRefused("name", "The name can be at most 80 characters.")
    if scope not in TokenScope.values:
        raise TokenRefused("scope", "The scope must be 'read' or 'read_write'.")
    if days not in LIFETIMES:
        allowed = ", ".join(str(d) for d in LIFETIMES)
        raise TokenRefused("days", f"A token lives {allowed} days; {days} is not allowed.")
    if Permission.API_TOKENS not in by.permissions:
        raise TokenRefused("scope", "Your role does not allow API tokens.")
    secret = secrets.token_urlsafe(32)
    raw = f"{PREFIX}{secret}"
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=by,
            name=name,
            scope=scope,
            digest=token_digest(raw),
            hint=secret[:6],
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        audit(by=by, action=Action.CREATE, obj=token, detail=f"scope={scope} days={days}")
    return token, raw


def token_revoke(*, by: User, token: ApiToken) -> None:
    """Revoke one of `by`'s own tokens (a second revoke changes nothing)."""
    if token.user_id != by.pk or token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(by=by, action=Action.UPDATE, obj=token, detail="revoked")


def token_user(raw: str) -> tuple[User, ApiToken] | None:
    """The person a token acts as, or None for a token that is unknown, expired, revoked, or
    whose person may no longer use it (inactive, or a role without API_TOKENS)."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user", "user__clinic")
        .filter(digest=token_digest(raw))
        .first()
    )
    if token is None:
        return None
    user = token.user
    if not user.is_active or Permission.API_TOKENS not in user.permissions:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return user, token
