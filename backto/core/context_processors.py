from typing import Any

from django.http import HttpRequest


def backto(request: HttpRequest) -> dict[str, Any]:
    # A request refused before the middleware ran (a host not allowed: the 400 page) has no user.
    user = getattr(request, "user", None)
    clinic = getattr(user, "clinic", None) if user is not None and user.is_authenticated else None
    return {"clinic": clinic}
