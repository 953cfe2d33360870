from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from backto.access.accounts.models import User
from backto.access.apitokens.actions import token_create


@pytest.fixture
def bearer(db: Any) -> Callable[..., Client]:
    """A client that calls the API with a new token of `user` (read-only by default)."""

    def make(user: User, scope: str = "read") -> Client:
        _, raw = token_create(by=user, name="test", scope=scope, days=30)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


from tests.homeprogram.conftest import texture_item  # noqa: E402, F401  (fixture)
