"""FHIR tests: a token per persona, and a client that sends it and parses every answer with the
R4B model of the resource it says it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from backto.access.accounts.models import User
from backto.access.apitokens.actions import token_create
from backto.access.apitokens.models import ApiToken, token_digest
from tests.conftest import PINNED_AT


def token_for(user: User, scope: str = "read") -> str:
    return token_create(by=user, name="fhir tests", scope=scope, days=30)[1]


def forced_token(user: User) -> str:
    """A token row made directly, for a person the token action refuses (a family member)."""
    raw = "bt_forced-" + user.username
    ApiToken.objects.create(
        user=user,
        name="forced",
        scope="read",
        digest=token_digest(raw),
        hint="forced",
        created_at=PINNED_AT,
        expires_at=PINNED_AT + timedelta(days=3650),
    )
    return raw


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: Any

    @property
    def resources(self) -> list[dict[str, Any]]:
        assert self.body["resourceType"] == "Bundle", self.body
        return [e["resource"] for e in self.body.get("entry", [])]

    @property
    def ids(self) -> list[str]:
        return [r["id"] for r in self.resources]

    def link(self, relation: str) -> str | None:
        return next(
            (link["url"] for link in self.body.get("link", []) if link["relation"] == relation),
            None,
        )

    @property
    def diagnostics(self) -> str:
        return " ".join(i.get("diagnostics", "") for i in self.body.get("issue", []))

    @property
    def expressions(self) -> list[str]:
        return [e for i in self.body.get("issue", []) for e in i.get("expression", [])]


def parsed(response: Any) -> Answer:
    """The answer, its body checked with the R4B model its resourceType names."""
    assert response["Content-Type"].startswith("application/fhir+json"), response["Content-Type"]
    body = response.json()
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    return Answer(response.status_code, body, response)


@pytest.fixture
def fhir(client: Client) -> Any:
    """fhir(user_or_None, "/fhir/Patient?...") -> Answer; a user gets a fresh read token."""

    def get(
        user: User | None, url: str, *, token: str | None = None, method: str = "get", **extra: Any
    ) -> Answer:
        headers = {}
        raw = token if token is not None else (token_for(user) if user is not None else None)
        if raw:
            headers["Authorization"] = f"Bearer {raw}"
        url = url.replace("http://testserver", "")
        if url.startswith("http"):
            url = "/" + url.split("/", 3)[3]
        response = getattr(client, method)(url, headers=headers, **extra)
        return parsed(response)

    return get
