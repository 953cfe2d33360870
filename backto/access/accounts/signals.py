"""At sign-in: the password was just typed (sudo mode starts), and whoever has a two-step device
will be asked for it in this session."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from backto.access.accounts import sudo, two_factor


@receiver(user_logged_in)
def on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    sudo.confirmed_now(request)
    request.session[two_factor.SESSION_KEY] = two_factor.has_device(user)
