"""FHIR Observation search (patient + code + date) on the 10,000-child synthetic database.

    .venv/bin/python bench/bench_fhir.py [--patients 10000] [--days 180] [--results bench/RESULTS.md]

1. `backto synth --patients N --days D --clinics 1` fills a fresh SQLite database.
2. A bench PT joins the care team of the child with the most completed questionnaires and makes
   a read-only API token.
3. gunicorn 2 workers x 1 thread on 127.0.0.1 (as `make run`); 8 concurrent users send the search
   a hospital's record system sends for one child's scores: `GET /fhir/Observation?patient=P&
   code=fdi-child&date=ge<six months ago>` (the FDI's totals), with the token. Baseline, measured
   in the same run: the bare view that reads one row (the median of three phases between the
   others). Also timed: the same search for every score of the child (no code), and a child's
   diary days as Observations (code=daily-diary), the longest lists one child has; and the
   scores again from a server that checks every resource against its R4B model
   (BACKTO_FHIR_CHECK_OUTPUT=1; production does not by default, backto/readers/fhir/checked.py).
4. The query count of each search, in-process, for that child and for a child with one
   questionnaire: it must not grow with the number of results.

Target (issue 23): p95 beside the bare baseline; the project's page target (issue 9) is a p95
under 150 ms with 8 users.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_pages import run_json, synth, timed
from bench.load import run_load
from bench.results import write_section
from bench.servers import backto, bench_env, gunicorn

HEADING = "## FHIR Observation search (issue 23)"
PASSWORD = "bench-password-1"
USERS = 8

SEED = f"""
import django, json; django.setup()
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from backto.access.accounts.models import Clinic, StaffRole, User
from backto.access.apitokens.actions import token_create
from backto.access.patients.models import CareTeamMember, Episode
from backto.capabilities.measures.models import Administration
clinic = Clinic.objects.order_by("id").first()
pt = User.objects.create(clinic=clinic, username="bench-pt", kind="staff", password=make_password("{PASSWORD}"))
StaffRole.objects.create(user=pt, role="physical_therapist")
done = (Administration.objects.filter(state="completed", episode__patient__clinic=clinic)
        .values("episode__patient_id").annotate(n=Count("id")))
most = max(done, key=lambda r: r["n"])
fewest = min(done, key=lambda r: r["n"])
for patient_id in (most["episode__patient_id"], fewest["episode__patient_id"]):
    for episode in Episode.objects.filter(patient_id=patient_id):
        CareTeamMember.objects.create(episode=episode, clinician=pt, discipline="pt")
_, token = token_create(by=pt, name="bench", scope="read", days=7)
print(json.dumps({{"patient": most["episode__patient_id"], "questionnaires": most["n"],
                  "small": fewest["episode__patient_id"], "small_questionnaires": fewest["n"],
                  "token": token}}))
"""

QUERIES = """
import django, json; django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(headers={"Authorization": "Bearer " + TOKEN})
out = {}
for name, path in PATHS.items():
    client.get(path, HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    body = json.loads(response.content)
    out[name] = [response.status_code, len(queries), len(body.get("entry", []))]
print(json.dumps(out))
"""


def searches(patient: int, since: datetime.date) -> dict[str, str]:
    return {
        "fdi": f"/fhir/Observation?patient={patient}&code=fdi-child&date=ge{since}",
        "scores": f"/fhir/Observation?patient={patient}&date=ge{since}&_count=50",
        "diary": f"/fhir/Observation?patient={patient}&code=daily-diary&date=ge{since}&_count=50",
    }


def fhir_timed(base: str, path: str, token: str, total: int) -> dict[str, float]:
    result = run_load(
        base,
        [("bench-pt", PASSWORD)] * USERS,
        lambda u, n: ("GET", path, ""),
        total=total,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"},
    )
    bad = {s: c for s, c in result.statuses.items() if s != 200}
    if bad:
        raise RuntimeError(f"{path}: answers other than 200: {bad}")
    return {"per_second": result.per_second, "p50": result.p50_ms, "p95": result.p95_ms}


def measure(patients: int, days: int, requests: int) -> dict[str, object]:
    figures: dict[str, object] = {}
    with contextlib.ExitStack() as stack:
        var = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="backto-bench.")))
        env = bench_env(var)
        backto(env, "migrate", "--noinput", "-v0")
        backto(env, "collectstatic", "--noinput", "-v0")
        figures["synth"] = synth(env, patients, days)
        figures["days"] = days
        seeded = run_json(SEED, env)
        figures["seeded"] = {k: v for k, v in seeded.items() if k != "token"}
        since = datetime.date.today() - datetime.timedelta(days=183)
        big, small = searches(seeded["patient"], since), searches(seeded["small"], since)
        paths = {f"{k} (most)": v for k, v in big.items()}
        paths.update({f"{k} (fewest)": v for k, v in small.items()})
        given = f"TOKEN = {seeded['token']!r}\nPATHS = {paths!r}\n"
        figures["queries"] = run_json(given + QUERIES, env)
        base = stack.enter_context(gunicorn(env))
        token = seeded["token"]
        bare = [timed(base, "bench-pt", "/bench/read/", requests)]
        figures["fdi"] = fhir_timed(base, big["fdi"], token, requests // 2)
        bare.append(timed(base, "bench-pt", "/bench/read/", requests))
        figures["scores"] = fhir_timed(base, big["scores"], token, requests // 2)
        figures["diary"] = fhir_timed(base, big["diary"], token, requests // 2)
        bare.append(timed(base, "bench-pt", "/bench/read/", requests))
        # The same page of scores from a server that checks every resource it answers against
        # its R4B model (BACKTO_FHIR_CHECK_OUTPUT=1, the tests' and development's default).
        checking = stack.enter_context(gunicorn({**env, "BACKTO_FHIR_CHECK_OUTPUT": "1"}))
        figures["scores_checked"] = fhir_timed(checking, big["scores"], token, requests // 2)
        figures["bare"] = {
            "per_second": sum(b["per_second"] for b in bare) / len(bare),
            "p95": sorted(b["p95"] for b in bare)[len(bare) // 2],
        }
    return figures


def markdown(f: dict[str, object]) -> str:
    seeded = f["seeded"]  # type: ignore[index]
    bare = f["bare"]  # type: ignore[index]
    queries = f["queries"]  # type: ignore[index]
    rows = [
        ("FDI totals of one child, code=fdi-child, 6 months", "fdi"),
        ("every score of one child, 6 months, _count=50", "scores"),
        ("diary days of one child, code=daily-diary, 6 months, _count=50", "diary"),
        (
            "every score, as above, each resource checked with its R4B model "
            "(BACKTO_FHIR_CHECK_OUTPUT=1)",
            "scores_checked",
        ),
    ]
    lines = [
        HEADING,
        "",
        f"Measured {datetime.date.today():%Y-%m-%d} on {platform.machine()}, Python "
        f"{platform.python_version()}, SQLite (WAL), with `bench/bench_fhir.py`: a database from "
        f"`backto synth --patients {f['synth']['patients']} --days {f['days']} --clinics 1` "  # type: ignore[index]
        f"({f['synth']['seconds']:.0f} s to synthesize). The child searched has "  # type: ignore[index]
        f"{seeded['questionnaires']} completed questionnaires. gunicorn 2 workers x 1 thread on "
        f"127.0.0.1, {USERS} concurrent users with a read-only API token. Baseline: the bare view "
        f"of the same server that reads one row, {bare['per_second']:.0f} requests/s with p95 "
        f"{bare['p95']:.0f} ms (the median of three phases between the others).",
        "",
        "| search | p50 | p95 | ratio to the baseline (p95) | requests/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, key in rows:
        r = f[key]  # type: ignore[index]
        lines.append(
            f"| {label} | {r['p50']:.0f} ms | {r['p95']:.0f} ms | "
            f"{r['p95'] / bare['p95']:.1f} | {r['per_second']:.0f} |"
        )
    lines += [
        "",
        "Queries per search, in-process (status, queries, entries on the page): "
        + "; ".join(f"{name}: {q[1]} queries, {q[2]} entries" for name, q in queries.items())
        + ". The count does not grow with the results (the child with the most questionnaires "
        "against the one with the fewest).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=10000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args()
    figures = measure(args.patients, args.days, args.requests)
    text = markdown(figures)
    print(text)
    if args.results:
        write_section(args.results, text)


if __name__ == "__main__":
    main()
