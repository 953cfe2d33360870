"""Sign-in pauses, counted per account whatever spelling reached it, and per network.

Sign-in ignores case, trims spaces and takes an email for a username, so django-axes must not
count what was typed: `someone`, ` SOMEONE` and `someone@example.org` are one account and share
one count. Each failure is recorded under the account's key (`account:<id>`); a name that matches
no account is counted under its own trimmed, lower-case spelling (`name:<spelling>`), so that a
pause looks the same for a name with or without an account. A success clears the account's
failures only.

A network (one client address) that fails across many accounts, as credential stuffing does, is
paused too: `BACKTO_LOGIN_FAILURE_LIMIT_PER_ADDRESS` failures within the pause, whichever names
were typed. Everything is counted in axes' table in the database every app server shares.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from backto.access.accounts.models import User

ACCOUNT_PREFIX = "account:"
NAME_PREFIX = "name:"


def account_for_sign_in(name: str) -> User | None:
    """The account a typed username or email signs in to: the one rule the sign-in backend and
    the lockout share, so that they can never disagree on who was meant."""
    name = name.strip()
    if not name:
        return None
    field = "email__iexact" if "@" in name else "username__iexact"
    return User.objects.filter(**{field: name}).first()


def account_key(user: User) -> str:
    return f"{ACCOUNT_PREFIX}{user.pk}"


def lockout_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the key failures are counted under (memoised on the request, as
    axes asks several times per attempt)."""
    typed = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if typed is None and request is not None:
        typed = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    typed = str(typed or "")
    cache: dict[str, str] = getattr(request, "_backto_lockout_keys", {})
    if typed not in cache:
        account = account_for_sign_in(typed)
        key = account_key(account) if account else f"{NAME_PREFIX}{typed.strip().lower()}"
        cache[typed] = key[: AccessAttempt._meta.get_field("username").max_length or 255]
        if request is not None:
            request._backto_lockout_keys = cache  # type: ignore[attr-defined]
    return cache[typed]


def network_failures(request: HttpRequest) -> int:
    """Failed sign-ins from this client address within the pause, for any name."""
    ip = getattr(request, "axes_ip_address", None)
    if not ip:
        return 0
    recent = AccessAttempt.objects.filter(
        ip_address=ip, attempt_time__gte=get_cool_off_threshold(request)
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


def network_paused(request: HttpRequest) -> bool:
    return network_failures(request) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS


class SignInLockoutHandler(AxesDatabaseHandler):
    """axes' database handler (per account, see AXES_LOCKOUT_PARAMETERS), plus the pause for a
    network that fails across many accounts."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or network_paused(request)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and network_paused(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def clear_failures(user: User) -> int:
    """Lift a pause on the account (a new password was set): its failures were counted against a
    password that no longer exists. The network's own count is left as it is."""
    deleted, _ = AccessAttempt.objects.filter(username=account_key(user)).delete()
    return deleted
