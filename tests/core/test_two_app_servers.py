"""Two app server processes against one PostgreSQL: diaries written concurrently through both,
with every submission also retried on the other server, are stored once each — nothing lost,
nothing duplicated (docs/deployment.md)."""

import contextlib
import tempfile
import threading
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from backto.access.patients import actions
from backto.capabilities.diary.models import DiaryEntry
from bench.load import sign_in
from bench.servers import bench_env, gunicorn
from tests.conftest import PASSWORD, TODAY, make_user

ANSWERS = {
    "activity": 3,
    "school": 2,
    "sleep_hours": 8,
    "sleep_quality": 3,
    "mood": 3,
    "home_program": 2,
}


def server_env(database: dict, var: Path) -> dict[str, str]:
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
        f"{database['HOST'] or '127.0.0.1'}:{database['PORT']}/{database['NAME']}"
    )
    env = bench_env(var, url)
    env["BACKTO_TESTING"] = "1"  # the test database's users have the test password hasher
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_store_every_diary_once(clinic, cora):
    if connection.vendor != "postgresql":
        pytest.skip("several app servers share one PostgreSQL; SQLite is the one-machine setup")
    families = []
    for n in range(4):
        guardian = make_user(clinic, f"family{n}", kind="guardian")
        children = []
        for k in range(6):
            child = actions.patient_register(
                by=cora, clinic=clinic, legal_name=f"Child {n}-{k}", date_of_birth=date(2013, 1, 1)
            )
            actions.guardian_link(by=cora, guardian=guardian, patient=child)
            actions.episode_open(by=cora, patient=child, referral_date=TODAY)
            children.append(child.pk)
        families.append((guardian.username, children))
    with contextlib.ExitStack() as stack:
        var = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = server_env(connection.settings_dict, var)
        servers = [stack.enter_context(gunicorn(env)) for _ in range(2)]
        sent: list[str] = []
        errors: list[str] = []

        def family(index: int) -> None:
            username, children = families[index]
            sessions = [sign_in(base, username, PASSWORD) for base in servers]
            for k, child in enumerate(children):
                for respondent in ("parent", "child"):
                    key = str(uuid.uuid4())
                    body = {**ANSWERS, "as": respondent, "idempotency_key": key}
                    # The same form goes to both servers: a retry after a lost answer.
                    for session in (sessions[k % 2], sessions[(k + 1) % 2]):
                        response = session.request(
                            "POST",
                            f"/patients/{child}/diary/",
                            urlencode({**body, "csrfmiddlewaretoken": session.csrf}),
                            {
                                "X-CSRFToken": session.csrf,
                                "Referer": f"http://127.0.0.1/patients/{child}/diary/",
                            },
                        )
                        if response.status != 302:
                            errors.append(f"{response.status} for child {child}")
                    sent.append(key)

        threads = [threading.Thread(target=family, args=(i,)) for i in range(len(families))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    stored = DiaryEntry.objects.filter(idempotency_key__in=sent)
    assert stored.count() == len(sent) == 4 * 6 * 2  # every form once: nothing lost, nothing twice
    assert DiaryEntry.objects.count() == len(sent)
