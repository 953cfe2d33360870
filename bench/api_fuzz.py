"""schemathesis against BackTo's JSON API and its FHIR endpoint (from the OpenAPI description
FHIR serves at /fhir/openapi.json), as every kind of person who can call each.

    .venv/bin/python bench/api_fuzz.py [--examples 60] [--results bench/RESULTS.md]

1. `backto demo` fills a fresh SQLite database (the demo clinic of `make run`), served by gunicorn
   on 127.0.0.1 as `make run` serves it.
2. Each demo persona calls the API: staff with a read-and-write token of their own, families
   (guardians, teens) with a signed-in session and its CSRF token, as the family's app does.
3. For every operation of /api/v1/openapi.json and every persona (and of /fhir/openapi.json for
   every persona with a token: families hold none), schemathesis generates calls
   from the schema (half of them aimed at the demo's real records rather than random ids) and
   checks each answer: no server error, a status the schema declares, the declared content type,
   and a body that matches the schema (problems included).

The same harness runs bounded in `make test` (tests/api/test_fuzz.py, a few calls per operation
and persona on a live test server); this script is the full run the issue measures (at least
5,000 calls).
"""

from __future__ import annotations

import argparse
import datetime
import platform
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HEADING = "## JSON API and FHIR fuzzing (issue 23)"


@dataclass(frozen=True)
class Caller:
    """One persona's way in: a token header, or a session cookie with its CSRF token."""

    name: str
    headers: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    calls: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    operations: int = 0


def fuzz(
    base_url: str,
    callers: Iterable[Caller],
    *,
    examples: int,
    known_ids: dict[str, list[Any]],
    schema_path: str = "/api/v1/openapi.json",
) -> Report:
    """Every operation of the schema, for every caller, `examples` generated calls each. A call
    whose answer breaks a check is a failure in the report (with the caller and operation);
    nothing is raised, so that one run counts them all."""
    import hypothesis
    import hypothesis.strategies as st
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.core.failures import FailureGroup
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    schema = schemathesis.openapi.from_url(base_url + schema_path)
    report = Report()
    callers = list(callers)

    def run(operation: Any, caller: Caller) -> None:
        @hypothesis.settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        @hypothesis.given(
            case=operation.as_strategy(), real=st.booleans(), pick=st.integers(0, 10**6)
        )
        def call(case: Any, real: bool, pick: int) -> None:
            if real and case.path_parameters:
                case.path_parameters = {
                    name: known_ids[name][pick % len(known_ids[name])]
                    if known_ids.get(name)
                    else value
                    for name, value in case.path_parameters.items()
                }
            response = case.call(base_url=base_url, headers=caller.headers, cookies=caller.cookies)
            report.calls += 1
            report.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=checks)
            except FailureGroup as failed:  # the checks' failures: counted, reported, not raised
                titles = "; ".join(sorted({f.title for f in failed.exceptions}))
                report.failures.append(
                    f"{caller.name} {operation.label} → {response.status_code}: {titles}"
                )

        call()

    for result in schema.get_all_operations():
        operation = result.ok()
        report.operations += 1
        for caller in callers:
            run(operation, caller)
    return report


SEED = """
import django, json, secrets; django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from backto.access.accounts.models import User
from backto.access.apitokens.actions import token_create
from backto.access.accounts.roles import Permission
from backto.access.patients.models import Episode, Patient
from backto.capabilities.goals.models import Goal
from backto.capabilities.homeprogram.models import HomeProgramItem
from backto.capabilities.measures.models import Administration
from django.utils import timezone

callers = []
seen_roles = set()
for user in User.objects.filter(is_active=True).order_by("pk"):
    kind = "staff:" + ",".join(sorted(user.role_keys)) if user.is_staff_member else user.kind
    if kind in seen_roles:
        continue
    seen_roles.add(kind)
    if Permission.API_TOKENS in user.permissions:
        _, raw = token_create(by=user, name="fuzz", scope="read_write", days=7)
        callers.append({"name": kind, "headers": {"Authorization": "Bearer " + raw}, "cookies": {}})
    else:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "backto.access.accounts.backends.UsernameOrEmailBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = secrets.token_hex(16)
        callers.append({
            "name": kind,
            "headers": {"X-CSRFToken": csrf, "Referer": "http://127.0.0.1/"},
            "cookies": {"sessionid": session.session_key, "csrftoken": csrf},
        })
patients = list(Patient.objects.values_list("pk", flat=True)[:50])
ids = {
    "patient_id": patients,
    "ident": [str(pk) for pk in patients]
    + [f"score-{pk}" for pk in Administration.objects.filter(state="completed").values_list("pk", flat=True)[:50]],
    "episode_id": list(Episode.objects.values_list("pk", flat=True)[:50]),
    "administration_id": list(Administration.objects.values_list("pk", flat=True)[:200]),
    "goal_id": list(Goal.objects.values_list("pk", flat=True)[:100]),
    "item_id": list(HomeProgramItem.objects.values_list("pk", flat=True)[:100]),
    "kind": ["family", "teen"],
    "day": [timezone.localdate().isoformat()],
}
print(json.dumps({"callers": callers, "ids": ids}))
"""


def measure(examples: int) -> dict[str, Any]:
    from bench.bench_pages import run_json
    from bench.servers import backto, bench_env, gunicorn

    with tempfile.TemporaryDirectory() as var:
        env = bench_env(Path(var))
        backto(env, "migrate", "-v0")
        backto(env, "demo", "--password", "bench-password-1")
        seeded = run_json(SEED, env)
        callers = [Caller(c["name"], c["headers"], c["cookies"]) for c in seeded["callers"]]
        with gunicorn(env) as base:
            started = time.perf_counter()
            report = fuzz(base, callers, examples=examples, known_ids=seeded["ids"])
            seconds = time.perf_counter() - started
            with_tokens = [c for c in callers if "Authorization" in c.headers]
            started = time.perf_counter()
            fhir = fuzz(
                base,
                with_tokens,
                examples=examples,
                known_ids=seeded["ids"],
                schema_path="/fhir/openapi.json",
            )
            fhir_seconds = time.perf_counter() - started
    return {
        "report": report,
        "seconds": seconds,
        "callers": [c.name for c in callers],
        "fhir": fhir,
        "fhir_seconds": fhir_seconds,
        "fhir_callers": [c.name for c in with_tokens],
    }


def _rows(report: Report, callers: list[str], seconds: float, schema: str) -> list[str]:
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(report.statuses.items()))
    server_errors = sum(n for s, n in report.statuses.items() if s >= 500)
    return [
        f"| operations in {schema} | {report.operations} |",
        f"| personas | {len(callers)} ({', '.join(callers)}) |",
        f"| generated calls | {report.calls:,} in {seconds:.0f} s |",
        f"| server errors (5xx) | {server_errors} |",
        f"| answers breaking the schema (status, content type or body) | {len(report.failures)} |",
        f"| answers by status | {statuses} |",
    ]


def markdown(found: dict[str, Any], examples: int) -> str:
    api: Report = found["report"]
    fhir: Report = found["fhir"]
    lines = [
        HEADING,
        "",
        f"Measured {datetime.date.today():%Y-%m-%d} on {platform.machine()} with "
        f"`bench/api_fuzz.py --examples {examples}` (the demo clinic on SQLite, gunicorn 2×1). "
        f"In all, {api.calls + fhir.calls:,} generated calls.",
        "",
        "| JSON API | result |",
        "|---|---|",
        *_rows(api, found["callers"], found["seconds"], "/api/v1/openapi.json"),
        "",
        "| FHIR (reads and searches) | result |",
        "|---|---|",
        *_rows(fhir, found["fhir_callers"], found["fhir_seconds"], "/fhir/openapi.json"),
        "",
    ]
    failures = api.failures + fhir.failures
    if failures:
        lines += ["Failures:", "", *[f"- {f}" for f in failures[:30]], ""]
    return "\n".join(lines)


def main() -> None:
    from bench.results import write_section

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=60, help="calls per operation and persona")
    parser.add_argument("--results", type=Path, default=None, help="write the section here")
    args = parser.parse_args()
    found = measure(args.examples)
    text = markdown(found, args.examples)
    print(text)
    if args.results:
        write_section(args.results, text)
    reports = [found["report"], found["fhir"]]
    broken = any(r.failures or any(s >= 500 for s in r.statuses) for r in reports)
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
