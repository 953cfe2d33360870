from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.http import HttpRequest

from backto.access.accounts.lockout import account_for_sign_in
from backto.access.accounts.models import User
from backto.core.fixed_sql import fixed_query


@fixed_query
def _signed_in(*, user_id: int) -> QuerySet[User]:
    return User.objects.select_related("clinic").filter(pk=user_id)


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with a username or an email address (case-insensitive for both)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        user = account_for_sign_in(username)
        if user is None:
            User().set_password(password)  # same work for unknown users: no timing tell
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: int) -> User | None:
        """The signed-in user with their clinic in the same query (every page reads its time
        zone and contact details)."""
        found = _signed_in(user_id=user_id)
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
