"""Sign-in, sign-out and failed sign-in go to the audit log."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from backto.audit.log import audit
from backto.audit.models import Action


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit(by=user, action=Action.LOGIN, obj=user, object_type="user")


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit(by=user, action=Action.LOGOUT, obj=user, object_type="user")


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    # The attempted name is kept so an admin can spot a guessing attack; never the password.
    audit(
        by=None,
        action=Action.LOGIN_FAILED,
        object_type="user",
        username=str(credentials.get("username", "")),
    )
