from typing import Any

from django.http import HttpRequest


def backto(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    clinic = getattr(user, "clinic", None) if user.is_authenticated else None
    return {"clinic": clinic}
