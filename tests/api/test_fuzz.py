"""schemathesis against the JSON API on a live test server, bounded for `make test`: a few
generated calls per operation and persona, each answer checked against the schema (status,
content type, body) and never a server error. bench/api_fuzz.py is the full run."""

import secrets
from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from backto.access.apitokens.actions import token_create
from backto.capabilities.measures.models import Administration
from bench.api_fuzz import Caller, fuzz
from tests.conftest import TODAY

BACKEND = "backto.access.accounts.backends.UsernameOrEmailBackend"


def token_caller(user: Any) -> Caller:
    _, raw = token_create(by=user, name="fuzz", scope="read_write", days=7)
    return Caller(user.username, {"Authorization": f"Bearer {raw}"})


def session_caller(user: Any) -> Caller:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = secrets.token_hex(16)
    return Caller(
        user.username,
        {"X-CSRFToken": csrf},
        {"sessionid": session.session_key or "", "csrftoken": csrf},
    )


@pytest.mark.slow
def test_generated_calls_get_answers_the_schema_declares(
    live_server: Any,
    pat: Any,
    olive: Any,
    cora: Any,
    ada: Any,
    elsa: Any,
    gina: Any,
    maya_teen: Any,
    active: Any,
    walk_item: Any,
) -> None:
    callers = [token_caller(u) for u in (pat, olive, cora, ada, elsa)]
    callers += [session_caller(u) for u in (gina, maya_teen)]
    ids = {
        "patient_id": [active.patient_id],
        "episode_id": [active.pk],
        "administration_id": list(
            Administration.objects.filter(episode=active).values_list("pk", flat=True)
        ),
        "item_id": [walk_item.pk],
        "kind": ["family", "teen"],
        "day": [TODAY.isoformat()],
    }
    report = fuzz(live_server.url, callers, examples=3, known_ids=ids)
    assert report.operations >= 11
    assert report.calls >= report.operations * len(callers)
    assert not report.failures, "\n".join(report.failures[:20])
    assert all(status < 500 for status in report.statuses)
    assert {200, 404} <= set(report.statuses)
