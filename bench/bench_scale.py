"""Health-system scale on PostgreSQL (issue 24): a network's set-up on this machine, loaded with
`backto synth`, its pages and writes measured, and its faults drilled.

    .venv/bin/python bench/bench_scale.py [--patients 100000] [--clinics 20] [--days 180]
        [--jobs 2] [--data DIR] [--requests 400] [--results bench/RESULTS.md]

Everything on 127.0.0.1 (bench/cluster.py): a PostgreSQL primary with durable settings; a
streaming replica made with `pg_basebackup` after the load; two app servers (gunicorn, each with
half the machine's cores as workers of 1 thread: one worker a core in all) with
BACKTO_DATABASE_URL on the primary and BACKTO_REPORTING_DATABASE_URL on the replica; the tasks
worker (`backto tasks_worker`).

1. **Load** (kept in DIR, `$TMPDIR/backto-scale` by default, and reused by the next run when its
   size and seed match): `backto migrate`, `backto synth --patients N --clinics C --days D
   --jobs J`, with its time and the peak memory of its processes sampled every half second;
   then VACUUM ANALYZE (as autovacuum would in time) and the database's size.
2. **Pages**, 8 users spread over both app servers, each page phase between two phases of the
   baseline (the bare view that reads one row, on the same servers and database): the caseload
   of a PT with 500 children, the progress page of a 6-month episode, a family's home and a
   child's diary page, in ROUNDS rounds of the four; each figure is the median of the rounds'
   (this machine's speed drifts, and a pause of the host during one short phase moved its p95
   by half), and the table shows every round's p95 too. Each page's query count for the biggest and a small case. Then the same
   pages on two other app servers with twice the workers (two a core), for the sizing advice.
3. **Writes**: diary submissions against the bare one-row write, alternating.
4. **Reports**: program outcomes for one clinic's year through the page (the replica), the
   whole network's (every clinic's cohort) in one process from the replica, and the PDF progress
   report, with where its time goes.
5. **Correctness**: bench/oracle.py's slow computation against the caseload and the outcomes.
6. **Fault drills**: an app server killed mid-load (every acknowledged diary entry stored once);
   the replica stopped (outcomes fall back to the primary and say so; the other pages do not
   notice); the primary restarted (/healthz 503 while it is down, the app servers reconnect by
   themselves).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_diary import ANSWERS
from bench.bench_pages import run_json
from bench.cluster import Postgres, Process, app_server, healthz, running, wait_for
from bench.load import run_load, sign_in
from bench.results import write_section
from bench.servers import PROJECT, VENV_BIN, bench_env, free_port

HEADING = "## Health-system scale on PostgreSQL (issue 24)"


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    total = 0
    for member in _family(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


def load(primary: Postgres, env: dict[str, str], args: argparse.Namespace) -> dict[str, object]:
    """Migrate and synthesize; the time and the peak memory of synth's processes."""
    subprocess.run([str(VENV_BIN / "backto"), "migrate", "--noinput", "-v0"], env=env, check=True)
    began = time.perf_counter()
    synth = subprocess.Popen(
        [
            str(VENV_BIN / "backto"),
            "synth",
            "--patients",
            str(args.patients),
            "--clinics",
            str(args.clinics),
            "--days",
            str(args.days),
            "--jobs",
            str(args.jobs),
            "--seed",
            str(args.seed),
        ],
        env=env,
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = 0
    while synth.poll() is None:
        peak = max(peak, _tree_rss(synth.pid))
        time.sleep(0.5)
    out = synth.stdout.read() if synth.stdout else ""
    if synth.returncode:
        raise RuntimeError(f"backto synth failed ({synth.returncode})")
    seconds = time.perf_counter() - began
    primary.psql("VACUUM ANALYZE")
    return {
        "patients": args.patients,
        "clinics": args.clinics,
        "days": args.days,
        "jobs": args.jobs,
        "seed": args.seed,
        "seconds": seconds,
        "peak_mib": peak / 2**20,
        "rows": out,
        "vacuum_analyze_s": time.perf_counter() - began - seconds,
        "bytes": int(primary.psql("SELECT pg_database_size('backto')")),
    }


def outcome_rows(primary: Postgres, env: dict[str, str]) -> dict[str, float]:
    """Bring a loaded primary to this code's tables and its outcome rows (models.OutcomeRow):
    a load made before the rows existed has none. `backto synth` makes them as it goes, so a
    fresh load has none waiting. How many waited, and the seconds `backto outcomes_rebuild`
    took for them."""
    subprocess.run([str(VENV_BIN / "backto"), "migrate", "--noinput", "-v0"], env=env, check=True)
    waiting = int(
        primary.psql(
            "SELECT count(*) FROM patients_episode e WHERE NOT EXISTS (SELECT 1 FROM "
            "outcomes_outcomerow r WHERE r.episode_id = e.id AND r.fresh)"
        )
    )
    if not waiting:
        return {"waiting": 0, "seconds": 0.0}
    began = time.perf_counter()
    subprocess.run([str(VENV_BIN / "backto"), "outcomes_rebuild", "-v0"], env=env, check=True)
    seconds = time.perf_counter() - began
    primary.psql("VACUUM ANALYZE outcomes_outcomerow")
    return {"waiting": waiting, "seconds": seconds}


def prepared(args: argparse.Namespace) -> tuple[Postgres, dict[str, object]]:
    """The loaded primary in DIR, loading it first unless a run with the same size did."""
    data = Path(args.data)
    primary = Postgres(data / "primary")
    marker = data / "loaded.json"
    wanted = {k: getattr(args, k) for k in ("patients", "clinics", "days", "seed")}
    if marker.exists() and {k: json.loads(marker.read_text()).get(k) for k in wanted} == wanted:
        primary.start()
        return primary, json.loads(marker.read_text())
    marker.unlink(missing_ok=True)
    primary.stop("immediate")
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    primary.initdb()
    primary.start()
    primary.run(
        f"{primary.bindir}/createdb",
        "-h",
        "127.0.0.1",
        "-p",
        str(primary.port),
        "-U",
        "postgres",
        "backto",
    )
    figures = load(primary, bench_env(data / "var", primary.url), args)
    marker.write_text(json.dumps(figures))
    return primary, figures


PASSWORD = "bench-password-1"
USERS = 8
ROUNDS = 3  # of the four page phases: the median round is reported, and every round's p95
# gunicorn workers of each of the two app servers: they share this machine's cores, so one a core
# in all (os.cpu_count() // 2 each). Two a core measured slower (the pages' section of RESULTS).
WORKERS = max(1, (os.cpu_count() or 2) // 2)
WRITERS = 8  # guardians writing diaries, each for CHILDREN_EACH children
CHILDREN_EACH = 120

# Runs in the bench settings against the primary: the people the benchmarks sign in as, all in
# the first clinic of the network. Prints JSON.
SEED = f"""
import django, json; django.setup()
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.db.models import Max, Min
from django.utils import timezone
from backto.access.accounts.models import Clinic, StaffRole, User
from backto.access.patients.models import CareTeamMember, Episode, Guardianship
from backto.capabilities.diary.models import DiaryEntry
today = timezone.localdate()
clinic = Clinic.objects.order_by("id").first()
hashed = make_password("{PASSWORD}")
def staff(name, role):
    user, _ = User.objects.update_or_create(username=name, defaults=dict(clinic=clinic, kind="staff", password=hashed))
    StaffRole.objects.get_or_create(user=user, role=role)
    return user
big, small = staff("bench-pt", "physical_therapist"), staff("bench-pt-small", "physical_therapist")
staff("bench-coordinator", "coordinator")
# The 6-month episode: the active one whose child diary spans longest.
span = (DiaryEntry.objects.filter(patient__clinic=clinic, respondent="child", patient__episodes__state="active")
        .values("patient_id").annotate(first=Min("day"), last=Max("day")).order_by("first")[:1])[0]
long_episode = Episode.objects.filter(patient_id=span["patient_id"]).order_by("-referral_date").first()
short_episode = (Episode.objects.filter(patient__clinic=clinic, state="active")
                 .order_by("-referral_date").exclude(pk=long_episode.pk).first())
latest = list(Episode.objects.filter(patient__clinic=clinic).exclude(pk=long_episode.pk)
              .order_by("-referral_date").values_list("pk", flat=True)[:499])
CareTeamMember.objects.filter(clinician__in=[big, small]).delete()
CareTeamMember.objects.bulk_create(
    [CareTeamMember(episode_id=pk, clinician=big, discipline="pt") for pk in [long_episode.pk, *latest]]
    + [CareTeamMember(episode_id=pk, clinician=small, discipline="pt") for pk in [short_episode.pk, *latest[:49]]])
family = Guardianship.objects.filter(patient=long_episode.patient_id).first().guardian
family.username, family.password = "bench-family", hashed
family.save()
# Writers: guardians of active children of the clinic, each given CHILDREN_EACH of them, with no
# parent diary today or yesterday, so that every submission is a new entry.
active = list(Episode.objects.filter(patient__clinic=clinic, state="active")
              .exclude(patient_id=long_episode.patient_id).values_list("patient_id", flat=True)
              [:{WRITERS * CHILDREN_EACH}])
writers = []
for n in range({WRITERS}):
    guardian = Guardianship.objects.filter(patient_id=active[n]).first().guardian
    guardian.username, guardian.password = f"bench-writer-{{n}}", hashed
    guardian.save()
    mine = active[n::{WRITERS}][:{CHILDREN_EACH}]
    Guardianship.objects.bulk_create([Guardianship(guardian=guardian, patient_id=p, relationship="mother")
                                      for p in mine], ignore_conflicts=True)
    writers.append(mine)
DiaryEntry.objects.filter(patient_id__in=active, respondent="parent",
                          day__gte=today - timedelta(days=1)).delete()
print(json.dumps(dict(episode=long_episode.pk, short_episode=short_episode.pk, child=long_episode.patient_id,
                      short_child=short_episode.patient_id, first=str(span["first"]), last=str(span["last"]),
                      writers=writers, clinics=list(Clinic.objects.order_by("id").values_list("pk", flat=True)))))
"""

# The query count of each page, for the biggest and a small case (the caseload of 500 and of 50,
# the 6-month episode and a new one, their families' homes and diaries). Prints JSON.
QUERIES = """
import django, json, sys; django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from backto.access.accounts.models import User
seeded = json.loads(sys.argv[1])
def count(username, path):
    client = Client()
    client.force_login(User.objects.get(username=username), backend="backto.access.accounts.backends.UsernameOrEmailBackend")
    client.get(path, HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)
print(json.dumps({
    "caseload": [count("bench-pt", "/clinic/"), count("bench-pt-small", "/clinic/")],
    "progress": [count("bench-pt", f"/episodes/{seeded['episode']}/progress/"),
                 count("bench-pt-small", f"/episodes/{seeded['short_episode']}/progress/")],
    "family_home": [count("bench-family", "/family/")],
    "diary": [count("bench-family", f"/patients/{seeded['child']}/diary/"),
              count("bench-writer-0", f"/patients/{seeded['writers'][0][0]}/diary/")],
}))
"""

# Outcomes from the replica in one process: one clinic's year, and every clinic's (the network).
# Prints JSON.
OUTCOMES = """
import django, json, sys, time; django.setup()
from datetime import timedelta
from django.conf import settings
from django.utils import timezone
from backto.access.accounts.models import Clinic
from backto.readers.outcomes.queries import cohort, cohort_summary, summarize
assert settings.REPORTING_DB == "reporting"
today = timezone.localdate()
start = today - timedelta(days=365)
clinics = list(Clinic.objects.using("reporting").order_by("id"))
def page(clinic):  # what the outcomes page computes
    return cohort_summary(clinic, start, today, using="reporting")
def rows(clinic):  # the export's rows and their summary
    found = cohort(clinic, start, today, using="reporting"); summarize(found); return found
figures = {"clinics": len(clinics)}
for name, work in (("", page), ("rows_", rows)):
    work(clinics[0])  # warm: imports, the instrument registry
    times = []
    for _ in range(3):
        began = time.perf_counter(); work(clinics[0]); times.append(time.perf_counter() - began)
    began = time.perf_counter()
    for clinic in clinics:
        work(clinic)
    figures[name + "clinic_s"], figures[name + "network_s"] = sorted(times)[1], time.perf_counter() - began
figures["clinic_episodes"] = page(clinics[0]).admitted.n
figures["network_episodes"] = sum(page(clinic).admitted.n for clinic in clinics)
print(json.dumps(figures))
"""

# Where a PDF progress report's time goes, in process. Prints JSON.
PDF_PROFILE = """
import cProfile, django, json, pstats, sys, time; django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from backto.access.accounts.models import User
path = f"/episodes/{sys.argv[1]}/reports/family.pdf"
client = Client()
client.force_login(User.objects.get(username="bench-pt"), backend="backto.access.accounts.backends.UsernameOrEmailBackend")
client.get(path, HTTP_HOST="127.0.0.1")
walls = []
for _ in range(5):
    began = time.perf_counter(); client.get(path, HTTP_HOST="127.0.0.1"); walls.append(time.perf_counter() - began)
with CaptureQueriesContext(connection) as queries:
    client.get(path, HTTP_HOST="127.0.0.1")
sql = [float(q["time"]) for q in queries.captured_queries]  # before the next request clears them
profile = cProfile.Profile()
profile.enable(); response = client.get(path, HTTP_HOST="127.0.0.1"); profile.disable()
stats = pstats.Stats(profile).stats
def cum(file_end, name):
    return sum(v[3] for (f, _, n), v in stats.items() if f.endswith(file_end) and n == name)
total = cum("progress/views.py", "report_pdf")
print(json.dumps({
    "wall_ms": sorted(walls)[2] * 1000, "queries": len(sql), "sql_ms": sum(sql) * 1000,
    "profile_total_ms": total * 1000,
    "context_ms": cum("progress/reports.py", "report_context") * 1000,
    "charts_ms": sum(cum("progress/charts.py", n) for n in ("function_vs_pain", "school_chart", "gas_chart")) * 1000,
    "weasyprint_ms": cum("progress/pdf.py", "html_to_pdf") * 1000,
    "bytes": len(response.content),
}))
"""


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its descendants so far, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for member in _family(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _family(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
    family, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return family


def postmaster(server: Postgres) -> int:
    return int((server.data / "postmaster.pid").read_text().split()[0])


def phase(
    bases: list[str], users: list[tuple[str, str]], path: str, total: int
) -> dict[str, float]:
    result = run_load(bases, users, lambda u, n: ("GET", path, ""), total=total)
    bad = {s: c for s, c in result.statuses.items() if s != 200}
    if bad:
        raise RuntimeError(f"{path}: answers other than 200: {bad}")
    return {
        "per_second": result.per_second,
        "p50": result.p50_ms,
        "p95": result.p95_ms,
        "requests": result.requests,
    }


def pages(
    bases: list[str], seeded: dict, requests: int, primary: Postgres, apps: list[Process]
) -> dict[str, object]:
    """Each page between two baseline phases, in ROUNDS rounds of the four pages; for each page
    the median over the rounds of its figures, of its p95's ratio to the mean of the two baseline
    phases around it, and of the CPU a request cost the app servers and the primary (from /proc,
    over its phase); and every round's p95."""
    db_pid, app_pids = postmaster(primary), [a.popen.pid for a in apps if a.popen]
    pts = [("bench-pt", PASSWORD)] * USERS
    family = [("bench-family", PASSWORD)] * USERS
    measured = {
        "caseload": (pts, "/clinic/"),
        "progress": (pts, f"/episodes/{seeded['episode']}/progress/"),
        "family_home": (family, "/family/"),
        "diary": (family, f"/patients/{seeded['child']}/diary/"),
    }
    bare = [phase(bases, pts, "/bench/read/", requests // 2)]
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in measured}
    for _ in range(ROUNDS):
        for name, (users, path) in measured.items():
            db0, app0 = cpu_seconds(db_pid), sum(cpu_seconds(p) for p in app_pids)
            figures = phase(bases, users, path, requests // 2)
            done = figures.pop("requests")
            figures["db_cpu_ms"] = (cpu_seconds(db_pid) - db0) / done * 1000
            figures["app_cpu_ms"] = (sum(cpu_seconds(p) for p in app_pids) - app0) / done * 1000
            bare.append(phase(bases, pts, "/bench/read/", requests // 2))
            figures["baseline_p95"] = (bare[-2]["p95"] + bare[-1]["p95"]) / 2
            figures["ratio"] = figures["p95"] / figures["baseline_p95"]
            rounds[name].append(figures)
    out: dict[str, object] = {
        name: {
            **{key: statistics.median(r[key] for r in runs) for key in runs[0]},
            "p95_rounds": [r["p95"] for r in runs],
        }
        for name, runs in rounds.items()
    }
    out["bare"] = {
        "per_second": statistics.median(b["per_second"] for b in bare),
        "p95": statistics.median(b["p95"] for b in bare),
    }
    return out


def pages_with_workers(
    env: dict[str, str], seeded: dict, requests: int, primary: Postgres, workers: int
) -> dict[str, object]:
    """`pages` on two more app servers with `workers` each, started for it and stopped after
    (the measured servers stay idle meanwhile)."""
    ports = [free_port(), free_port()]
    apps = [app_server(env, port, workers=workers) for port in ports]
    with running(*apps):
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            wait_for(base, 200, 60)
        return pages(bases, seeded, requests, primary, apps)


def diary_body(day: str, key: str) -> str:
    """A parent's diary for today or yesterday, with its idempotency key."""
    return urlencode(
        {
            **ANSWERS,
            "as": "parent",
            "idempotency_key": key,
            "day": day,
            "csrfmiddlewaretoken": "CSRF",
        }
    )


def writes(
    bases: list[str], seeded: dict, requests: int, primary: Postgres, apps: list[Process]
) -> dict[str, object]:
    """Diary submissions against the bare one-row write, alternating; the CPU each side spent
    per diary (the primary's processes, the app servers') from /proc."""
    writers = [(f"bench-writer-{n}", PASSWORD) for n in range(WRITERS)]
    children = seeded["writers"]
    sent = [0] * WRITERS

    def bare(user: int, n: int) -> tuple[str, str, str]:
        return "POST", "/bench/write/", "csrfmiddlewaretoken=CSRF"

    def diary(user: int, n: int) -> tuple[str, str, str]:
        k = sent[user]
        sent[user] += 1
        mine = children[user]
        day = "today" if k < len(mine) else "yesterday"
        return (
            "POST",
            f"/patients/{mine[k % len(mine)]}/diary/",
            diary_body(day, str(uuid.uuid4())),
        )

    rounds, bares = [], [run_load(bases, writers, bare, total=requests)]
    db_pid, app_pids = postmaster(primary), [a.popen.pid for a in apps if a.popen]
    cpu = {"db": 0.0, "app": 0.0, "diaries": 0}
    for _ in range(3):
        db0, app0 = cpu_seconds(db_pid), sum(cpu_seconds(p) for p in app_pids)
        result = run_load(
            bases, writers, diary, total=min(requests, WRITERS * CHILDREN_EACH * 2 // 3)
        )
        cpu["db"] += cpu_seconds(db_pid) - db0
        cpu["app"] += sum(cpu_seconds(p) for p in app_pids) - app0
        cpu["diaries"] += result.statuses.get(302, 0)
        if set(result.statuses) != {302}:
            raise RuntimeError(f"diary submissions: {result.statuses}")
        rounds.append(result)
        bares.append(run_load(bases, writers, bare, total=requests))
    ratios = sorted(
        (r.per_second / ((bares[i].per_second + bares[i + 1].per_second) / 2), i)
        for i, r in enumerate(rounds)
    )
    ratio, middle = ratios[len(ratios) // 2]
    return {
        "ratio": ratio,
        "rounds": [round(r, 2) for r, _ in ratios],
        "diary_per_second": rounds[middle].per_second,
        "diary_p95": rounds[middle].p95_ms,
        "bare_per_second": (bares[middle].per_second + bares[middle + 1].per_second) / 2,
        "db_cpu_ms": cpu["db"] / cpu["diaries"] * 1000,
        "app_cpu_ms": cpu["app"] / cpu["diaries"] * 1000,
    }


def single(base: str, user: str, path: str, repeat: int) -> dict[str, float]:
    """One user asking for `path` `repeat` times, after 4 unmeasured requests that reach each
    worker of the server (a worker's first PDF loads its fonts and the report's CSS, once)."""
    run_load(base, [(user, PASSWORD)], lambda u, n: ("GET", path, ""), total=4)
    result = run_load(base, [(user, PASSWORD)], lambda u, n: ("GET", path, ""), total=repeat)
    if set(result.statuses) != {200}:
        raise RuntimeError(f"{path}: {result.statuses}")
    return {"p50": result.p50_ms, "p95": result.p95_ms}


# Frees the writers' children for new entries again (the drill writes after the write phases).
RESET = """
import django, json, sys; django.setup()
from datetime import timedelta
from django.utils import timezone
from backto.capabilities.diary.models import DiaryEntry
children = [c for mine in json.loads(sys.argv[1])["writers"] for c in mine]
DiaryEntry.objects.filter(patient_id__in=children, respondent="parent",
                          day__gte=timezone.localdate() - timedelta(days=1)).delete()
print("{}")
"""

# After the drill: how many rows hold each idempotency key sent. Prints JSON.
STORED = """
import django, json, sys; django.setup()
from django.db.models import Count
from backto.capabilities.diary.models import DiaryEntry
keys = json.loads(open(sys.argv[1]).read())
counts = dict(DiaryEntry.objects.filter(idempotency_key__in=keys["sent"]).values_list("idempotency_key")
              .annotate(n=Count("id")).values_list("idempotency_key", "n"))
counts = {str(k): n for k, n in counts.items()}
print(json.dumps({"acknowledged": len(keys["acked"]),
                  "acknowledged_missing": sum(1 for k in keys["acked"] if counts.get(k, 0) == 0),
                  "doubled": sum(1 for n in counts.values() if n > 1),
                  "sent": len(keys["sent"]), "stored": sum(counts.values())}))
"""


def _submit(
    bases: list[str], cookies: dict[str, str], start: int, path: str, body: str
) -> tuple[int, int]:
    """One submission through a balancer that tries the next app server when one does not answer
    (a refused or broken connection, a 502 or 503), with the same body: the same idempotency key.
    Returns (status, tries)."""
    for attempt in range(12):
        base = bases[(start + attempt) % len(bases)]
        parts = urllib.parse.urlsplit(base)
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=10
        )
        try:
            connection.request(
                "POST",
                path,
                body=body.replace("CSRF", cookies["csrftoken"]),
                headers={
                    "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                    "Host": "127.0.0.1",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": cookies["csrftoken"],
                    "Referer": base + path,
                },
            )
            response = connection.getresponse()
            response.read()
            if response.status not in (502, 503):
                return response.status, attempt + 1
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    return 0, 12


def drill_app_server(
    bases: list[str], apps: list[Process], seeded: dict, env: dict[str, str]
) -> dict[str, object]:
    """Writers submit diaries through both app servers; one server is killed (SIGKILL, every
    worker) a quarter of the way into the load. Every acknowledged entry must be stored exactly once."""
    run_json(RESET, env, json.dumps(seeded))
    sessions = [sign_in(bases[n % 2], f"bench-writer-{n}", PASSWORD) for n in range(WRITERS)]
    sent: list[str] = []
    acked: list[str] = []
    retried = [0]
    lock = threading.Lock()

    def writer(n: int) -> None:
        cookies = sessions[n].cookies
        for k, child in enumerate(seeded["writers"][n] * 2):
            key = str(uuid.uuid4())
            with lock:
                sent.append(key)
            day = "today" if k < len(seeded["writers"][n]) else "yesterday"
            status, tries = _submit(
                bases, cookies, n, f"/patients/{child}/diary/", diary_body(day, key)
            )
            with lock:
                retried[0] += tries > 1
                if status == 302:
                    acked.append(key)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    planned = sum(2 * len(mine) for mine in seeded["writers"][:WRITERS])
    while len(acked) < planned // 4 and any(t.is_alive() for t in threads):
        time.sleep(0.01)  # a quarter of the way in
    apps[0].kill()
    killed_at = time.monotonic() - began
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as keys:
        json.dump({"sent": sent, "acked": acked}, keys)
    stored = run_json(STORED, env, keys.name)
    os.unlink(keys.name)
    return {**stored, "killed_at_s": killed_at, "seconds": seconds, "retried": retried[0]}


def page_text(base: str, user: str, path: str) -> tuple[int, str, float]:
    session = sign_in(base, user, PASSWORD)
    began = time.perf_counter()
    session.conn.request(
        "GET",
        path,
        headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in session.cookies.items()),
            "Host": "127.0.0.1",
        },
    )
    response = session.conn.getresponse()
    body = response.read().decode()
    return response.status, body, (time.perf_counter() - began) * 1000


def drill_replica(bases: list[str], replica: Postgres, outcomes_path: str) -> dict[str, object]:
    """The replica stops: outcomes read the primary and say so; the caseload does not notice.
    Then the replica starts again and outcomes go back to it."""
    before = page_text(bases[1], "bench-coordinator", outcomes_path)
    replica.stop("fast")
    down = page_text(bases[1], "bench-coordinator", outcomes_path)
    caseload = page_text(bases[1], "bench-pt", "/clinic/")
    replica.start()
    time.sleep(1)
    after = page_text(bases[1], "bench-coordinator", outcomes_path)
    return {
        "before": [before[0], FALLBACK_NOTE in before[1]],
        "down": [down[0], FALLBACK_NOTE in down[1], round(down[2])],
        "caseload_down": caseload[0],
        "after": [after[0], FALLBACK_NOTE in after[1]],
    }


def drill_primary(bases: list[str], primary: Postgres, worker: Process) -> dict[str, object]:
    """The primary restarts: /healthz answers 503 while it is down, and the app servers and the
    tasks worker carry on without being restarted."""
    primary.stop("fast")
    to_503 = [wait_for(b, 503, 30) for b in bases]
    time.sleep(2)
    still = [healthz(b) for b in bases]
    began = time.monotonic()
    primary.start()
    started = time.monotonic() - began
    to_200 = [wait_for(b, 200, 60) for b in bases]
    pages_after = [page_text(b, "bench-pt", "/clinic/")[0] for b in bases]
    return {
        "to_503_s": max(to_503),
        "while_down": still,
        "primary_start_s": started,
        "to_200_s": max(to_200),
        "pages_after": pages_after,
        "worker_alive": worker.popen is not None and worker.popen.poll() is None,
    }


ORACLE = """
import django, json, sys, time; django.setup()
from datetime import timedelta
from django.utils import timezone
from backto.access.accounts.models import Clinic, User
from bench.oracle import caseload_mismatches, outcomes_mismatches
today = timezone.localdate()
began = time.perf_counter()
problems = caseload_mismatches(User.objects.get(username="bench-pt"), today, everyone=False)
problems += caseload_mismatches(User.objects.get(username="bench-coordinator"), today, limit=300)
clinic = Clinic.objects.order_by("id").first()
problems += outcomes_mismatches(clinic, today - timedelta(days=365), today, using="reporting")
print(json.dumps({"problems": problems[:20], "count": len(problems), "seconds": time.perf_counter() - began}))
"""
FALLBACK_NOTE = "The reporting copy of the database is not answering"


def measure(args: argparse.Namespace) -> dict[str, object]:
    figures: dict[str, object] = {"load": None}
    primary, figures["load"] = prepared(args)
    data = Path(args.data)
    figures["outcome_rows"] = outcome_rows(primary, bench_env(data / "var", primary.url))
    with contextlib.ExitStack() as stack:
        stack.callback(primary.stop)
        replica = primary.replica(data / "replica")
        replica.start()
        stack.callback(replica.stop)
        env = bench_env(data / "var", primary.url)
        env["BACKTO_REPORTING_DATABASE_URL"] = replica.url
        subprocess.run(
            [str(VENV_BIN / "backto"), "collectstatic", "--noinput", "-v0"], env=env, check=True
        )
        seeded = run_json(SEED, env)
        figures["queries"] = run_json(QUERIES, env, json.dumps(seeded))
        ports = [free_port(), free_port()]
        apps = [app_server(env, port, workers=WORKERS) for port in ports]
        worker = Process([str(VENV_BIN / "backto"), "tasks_worker"], env)
        stack.enter_context(running(*apps, worker))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            wait_for(base, 200, 60)
        figures["replica_lag_bytes"] = primary.psql(
            "SELECT COALESCE(max(pg_wal_lsn_diff(sent_lsn, replay_lsn)), -1) FROM pg_stat_replication"
        )
        figures["pages"] = pages(bases, seeded, args.requests, primary, apps)
        figures["pages_two_workers"] = pages_with_workers(
            env, seeded, args.requests, primary, 2 * WORKERS
        )
        figures["writes"] = writes(bases, seeded, args.requests, primary, apps)
        today = datetime.date.today()
        outcomes_path = f"/outcomes/?start={today - datetime.timedelta(days=365)}&end={today}"
        figures["outcomes_page"] = single(bases[0], "bench-coordinator", outcomes_path, 5)
        figures["outcomes"] = run_json(OUTCOMES, env)
        figures["report"] = single(
            bases[1], "bench-pt", f"/episodes/{seeded['episode']}/reports/family.pdf", 20
        )
        figures["report_profile"] = run_json(PDF_PROFILE, env, str(seeded["episode"]))
        figures["oracle"] = run_json(ORACLE, env)
        figures["drill_app"] = drill_app_server(bases, apps, seeded, env)
        apps[0].start()
        wait_for(bases[0], 200, 60)
        figures["drill_replica"] = drill_replica(bases, replica, outcomes_path)
        figures["drill_primary"] = drill_primary(bases, primary, worker)
        figures["database"] = {
            "bytes": int(primary.psql("SELECT pg_database_size('backto')")),
            "tables": primary.psql(
                "SELECT string_agg(relname || '=' || pg_total_relation_size(relid), ',' ORDER BY "
                "pg_total_relation_size(relid) DESC) FROM (SELECT * FROM pg_stat_user_tables "
                "ORDER BY pg_total_relation_size(relid) DESC LIMIT 6) t"
            ),
        }
    return figures


NOTES = """What the profiles showed (issue 24):

- **Only the family home meets 100 ms at p95 in every run; the progress page and the diary
  page meet it in some rounds and not others; the caseload misses it.** The load is a closed
  loop: 8 users, each sending its next request when the last one answers, so a request's wait is
  about 8 x (the CPU a request costs) / 2 cores, whatever the data's size, and the CPU a request
  costs moves with the host. Four runs on the same code this session (the first two one phase a
  page, the last two three rounds, reported as the median round; this table is the fourth): the
  bare view's p95 13, 13, 20-22 and 14-18 ms; the progress page 86, 91, 131 and 115 ms (its
  rounds in this run 88, 115, 115); the diary page 86, 99, 119 and 114 (91 in one round); the
  family home 85, 161 (one short phase, p50 67), 99 and 83; the caseload 123, 144, 158 and 131.
  The ratio to the bare view moves less: caseload 9.7, progress page 7.1, family home 4.6, diary
  page 6.5 in this run. Two workers a core were slower than one on every page in the first two
  runs (the progress page 140 against 86 ms, 121 against 91) and mixed in the last two. The
  query counts are the same for 500 children as for 50 and for a 6-month episode as for a new
  one.
- **What made the progress page cheaper this time** (129 ms at p95 in the last run before it;
  paired with the version before in one run of bench_compare.py, its p50 before / after in four
  rounds was 128 / 108, 85 / 71, 96 / 74 and 88 / 62 ms, 1.25x, while the other pages moved
  within the noise): it asked the
  template language for most of what it wrote, a few microseconds a value. The questionnaire
  results table's rows are now written in Python (`{% results_rows %}`,
  backto/capabilities/measures/templatetags/measure_results.py; they were 1.8 of the page's
  6.5 ms of rendering), and so are the chart cards (`Chart.card_html`, a template include each
  before); a line chart is one run of f-strings with its words escaped instead of a format_html
  per part (0.32 to 0.15 ms a chart, five to eight a page). The goals' ratings come from a fixed
  query and are left on the goals as prefetch_related leaves them (`fixed_sql.prefetched`:
  Django built and compiled the prefetch query on every page), and the child's diary settings
  are read with the episode (21 queries, one fewer). The HTML is the same byte for byte (78 page
  snapshots of this network; the results rows over 1,500 episodes in both languages, localized
  and not). In process, one request at a time, the page's app CPU went from about 16-17 to
  13-14 ms. What the page still spends, in process: about 5 ms reading and summing the episode
  (11 queries), 3.5 ms rendering, 1.4 ms opening the record (with its audit event) and 1 ms
  drawing the charts.
- **What made the pages cheaper before: fixed queries.** Building a queryset with a subquery
  or two and compiling it to SQL cost Django about a millisecond, several times what PostgreSQL
  took to answer it, and it was more than half of the caseload's CPU and of the family home's
  (measured by timing Django's build and compile steps inside a request). The reads on these
  pages and on every signed-in request (the session, the person, their roles, whether a child is
  in their circle, the record a page opens) are now fixed queries (backto/core/fixed_sql.py,
  docs/architecture.md): their SQL is worked out once per shape and time zone in each app
  server and then only takes the new values; a fixed query costs 0.2-0.4 ms in all. In the
  tests every call is also checked against the SQL Django compiles for the same values (it
  caught one query whose SQL carried the clinic's time zone). In process, one request at a
  time, the caseload went from 26-29 to 11-16 ms of app CPU, the family home from 23-26 to
  13-16, the progress page from 25-29 to 20-24, the diary page from 15-18 to 15-17. Smaller
  parts: the progress page's chart tables drawn in Python (a third of its rendering, the same
  HTML); the app servers freeze what they loaded out of the cycle collector's walks (about 2 ms
  a page); the latest-episode index carries the episode's state (the caseload's list reads both
  from it); `can` asks a permission only when a template reads it. The before-and-after section
  below (1c03a82 against 2f771fc) has the paired figures: 2.0x the caseload's p50, 2.2x the family home's, 1.6x the
  progress page's, 1.1x the diary page's (and 1.5x the bare view's, which the session and person
  reads speed up too). Two workers a core were slower than one on every page.
- **Prepared statements** (an earlier session): PostgreSQL parsed and planned every query of
  every request; the app servers now bind parameters on the server and psycopg keeps a query
  that a connection has run twice prepared (BACKTO_DB_PREPARED, on by default;
  docs/deployment.md says when to turn it off). The database's CPU a view fell by a third to a
  half. The caseload's table is drawn in Python (6.8 to 0.9 ms) and its rows are plain values.
- **What made them cheaper before** (issue 24's earlier sessions: the caseload from 57 to 43 ms
  of app CPU a view and the diary page from 121 to 98 ms at p95). Django spent more CPU building
  a few queries than PostgreSQL spent answering them: the caseload's questionnaire counts were
  three correlated subqueries with the clinic's wording rule inside, the body map's due rule
  nested EXISTS conditions; each is now a plain grouped read with the rule applied in Python (0
  of 3,652 answers differ on this network). A clinician's own caseload no longer asks the
  care-team condition twice. The diary page's 30 answer cards are one Python function each
  instead of three template includes; the site's links are drawn once per process for each kind
  of person, page and language; the progress page reads the stored session dose. And the app
  servers run one gunicorn worker a core: with two a core every page was slower at p95 (the
  table above).
- **Outcomes.** Each episode's outcome row (backto/readers/outcomes/rows.py) now holds all
  that outcomes read of it: what was worked out from its goals, exams, health-care forms,
  medicines, care team, plan and transitions, and copies of its child, discharge, measure
  summary and session dose. A change marks the row in its own transaction and the row is
  computed again once that commits. The page's summary is counted by the database, a query a
  figure over one table (each figure's distinct values and how many children had each; the
  same rules then make the summary as from the rows), plus two counts that find no row waiting:
  19 queries of 1-2 ms each, the count of the clinic's episodes the longest. Before the rows it
  was 8 queries over every goal, form and medicine, in which the database worked out the
  cohort's condition again for each table (about 25 ms each), and then the rows in Python. The
  export still reads every row (one query of one table) and makes its Python rows; for the
  whole network that is the "rows" figure above: reading 40 columns of 92,000 rows is most of
  it (psycopg making the values), then the rows in Python and their summary.
- **The PDF report** meets its target at this scale: its 25 queries take 5 ms, and WeasyPrint's
  layout of the report's three chart tables is most of the rest (the section "PDF reports").
- **Diary writes.** The primary spends about 1.3 ms of CPU on a submission and the app servers
  about 9 (12 before the fixed queries). So the app servers, not the database, bound how many
  diaries a network can take. A submission is 0.52 of the bare one-row write: the bare write got
  faster too, as its session and person are read with fixed queries.
- **`backto synth`** at 100,000 children with COPY and 2 processes took 33.5 minutes. Other work
  ran on the machine part of the time (load average about 4); 400 children alone took 3.8 s
  (about 100 a second). Its memory stays flat: 473 MiB across its three processes at 100,000
  children, 453 MiB at 400, because each process holds one chunk of 200 children at a time."""


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _rounds_line(pages_: dict) -> str:
    rounds = len(pages_["caseload"].get("p95_rounds", [])) or 1
    if rounds == 1:
        return "**Pages.** One phase a page (this run predates the rounds)."
    return (
        f"**Pages.** {rounds} rounds of the four pages, each page phase between two baseline "
        "phases; a page's figures are the median of its rounds', and its p95 in each round is "
        "shown beside them."
    )


def _outcome_rows_line(rows: dict | None) -> str:
    if not rows:
        return "**Outcome rows.** Not measured in this run (it predates them)."
    if not rows["waiting"]:
        return (
            "**Outcome rows.** None waiting: every episode's row was there already (`backto "
            "synth` makes them as it loads; an older load gets them from `backto outcomes_rebuild`)."
        )
    return (
        f"**Outcome rows.** The load predates them: `backto outcomes_rebuild` made "
        f"{rows['waiting']:,} episodes' rows in {rows['seconds']:.0f} s "
        f"({rows['waiting'] / rows['seconds']:,.0f} episodes a second)."
    )


def markdown(f: dict, args: argparse.Namespace) -> str:
    cpu = platform.processor() or platform.machine()
    load, pages_, writes_ = f["load"], f["pages"], f["writes"]
    q, o, pdf, prof = f["queries"], f["outcomes"], f["report"], f["report_profile"]
    children_years = load["patients"] * load["days"] / 365
    lines = [
        HEADING,
        "",
        f"Measured {datetime.date.today()} on {os.cpu_count()} CPUs ({cpu}), Python "
        f"{platform.python_version()}, PostgreSQL {Postgres(Path('.')).bindir.parts[-2]}, with "
        "`bench/bench_scale.py` (bench/cluster.py starts everything on 127.0.0.1): a primary with "
        "durable settings, a streaming replica made with `pg_basebackup` after the load, two app "
        f"servers (gunicorn, {WORKERS} worker{'s' if WORKERS > 1 else ''} x 1 thread each: one "
        "worker a core of the machine in all) with the replica as "
        "BACKTO_REPORTING_DATABASE_URL, and the tasks worker. The load generator runs in the bench "
        "process, 8 users shared over both app servers as a load balancer would. Baseline: the bare "
        "view that reads one row (writes one, for submissions), in phases between the measured "
        "ones on the same servers and database, "
        f"{pages_['bare']['per_second']:.0f} requests/s with p95 {pages_['bare']['p95']:.0f} ms.",
        "",
        "**The load.** "
        f"`backto synth --patients {load['patients']} --clinics {load['clinics']} --days "
        f"{load['days']} --jobs {load['jobs']}`: {load['seconds'] / 60:.1f} minutes "
        f"({load['patients'] / load['seconds']:.0f} children a second), peak memory of its "
        f"processes {load['peak_mib']:.0f} MiB (sampled every half second), then VACUUM ANALYZE "
        f"{load['vacuum_analyze_s']:.0f} s. Database: {load['bytes'] / 2**30:.1f} GiB for "
        f"{children_years:,.0f} children-years of history "
        f"({load['bytes'] / 2**30 / children_years * 10000:.1f} GiB per 10,000 children-years).",
        "",
        _outcome_rows_line(f.get("outcome_rows")),
        "",
        _rounds_line(pages_),
        "",
        "| page (8 users) | p50 | p95 | p95 each round | baseline p95 | p95 / baseline | target p95 "
        "| | queries | CPU a view: app, database |",
        "|---|---:|---:|---|---:|---:|---|---|---|---|",
    ]
    names = {
        "caseload": ("caseload, 500 children of the network", "500 children / 50"),
        "progress": ("progress page, 6-month episode", "6 months / a new episode"),
        "family_home": ("family home", "one family"),
        "diary": ("diary page", "6 months / a new child"),
    }
    for key, (label, cases) in names.items():
        r = pages_[key]
        counts = " / ".join(str(n) for n in q[key])
        each = ", ".join(f"{p:.0f}" for p in r.get("p95_rounds", [])) or "—"
        lines.append(
            f"| {label} | {r['p50']:.0f} ms | {r['p95']:.0f} ms | {each} | {r['baseline_p95']:.0f} ms | "
            f"{r['ratio']:.1f} | under 100 ms | {_verdict(r['p95'] < 100)} | {counts} ({cases}) | "
            f"{r['app_cpu_ms']:.0f} ms, {r['db_cpu_ms']:.1f} ms |"
        )
    two = f.get("pages_two_workers")
    if two:
        lines += [
            "",
            f"The same pages on two more app servers with {2 * WORKERS} workers each (two a core; "
            "measured after the others, each between its own baseline phases):",
            "",
            "| page (8 users) | p95, one worker a core | p95, two a core | CPU a view, two a core: "
            "app, database |",
            "|---|---:|---:|---|",
            *(
                f"| {label} | {pages_[key]['p95']:.0f} ms | {two[key]['p95']:.0f} ms | "
                f"{two[key]['app_cpu_ms']:.0f} ms, {two[key]['db_cpu_ms']:.1f} ms |"
                for key, (label, _cases) in names.items()
            ),
            f"| baseline (the bare view) | {pages_['bare']['p95']:.0f} ms | "
            f"{two['bare']['p95']:.0f} ms | |",
        ]
    lines += [
        "",
        "| writes (8 guardians) | per second | p95 | against the bare write | every round | target | |",
        "|---|---:|---:|---:|---|---|---|",
        f"| diary submission | {writes_['diary_per_second']:.0f} | {writes_['diary_p95']:.0f} ms | "
        f"{writes_['ratio']:.2f} (bare: {writes_['bare_per_second']:.0f}/s) | "
        f"{', '.join(str(r) for r in writes_['rounds'])} | at least 0.5 | "
        f"{_verdict(writes_['ratio'] >= 0.5)} |",
        "",
        f"CPU a diary submission cost, from /proc over the diary phases: the primary's processes "
        f"{writes_['db_cpu_ms']:.1f} ms, the app servers' {writes_['app_cpu_ms']:.1f} ms. So one "
        f"primary core takes about {1000 / writes_['db_cpu_ms']:,.0f} diary writes a second, and "
        f"each app server core about {1000 / writes_['app_cpu_ms']:,.0f}.",
        "",
        "| reports | measured | target | |",
        "|---|---|---|---|",
        f"| program outcomes (the page's summary), one clinic's year ({o['clinic_episodes']:,} "
        f"episodes), from the replica, in process | {o['clinic_s']:.2f} s | under 0.5 s | {_verdict(o['clinic_s'] < 0.5)} |",
        f"| the same through the page (1 user) | p50 {f['outcomes_page']['p50']:.0f} ms, p95 "
        f"{f['outcomes_page']['p95']:.0f} ms | | |",
        f"| program outcomes, the whole network ({o['clinics']} clinics, {o['network_episodes']:,} "
        f"episodes), from the replica | {o['network_s']:.2f} s | under 2 s | "
        f"{_verdict(o['network_s'] < 2)} |",
        *(
            [
                f"| the rows of the export and their summary: one clinic's year; the network | "
                f"{o['rows_clinic_s']:.2f} s; {o['rows_network_s']:.2f} s | | |"
            ]
            if "rows_clinic_s" in o
            else []
        ),
        "| PDF progress report of the 6-month episode (1 user, 20 requests after a warm-up) "
        f"| p50 {pdf['p50']:.0f} ms, p95 {pdf['p95']:.0f} ms | under 300 ms "
        f"| {_verdict(pdf['p95'] < 300)} |",
        "",
        f"Where the report's time goes, in process ({prof['wall_ms']:.0f} ms a report, "
        f"{prof['bytes'] / 1024:.0f} kB; under cProfile, which slows Python, {prof['profile_total_ms']:.0f} ms): "
        f"WeasyPrint {prof['weasyprint_ms']:.0f} ms, the report's data "
        f"{prof['context_ms']:.0f} ms (its {prof['queries']} queries {prof['sql_ms']:.0f} ms of it, "
        f"the charts {prof['charts_ms']:.0f} ms), the rest the template and the request.",
        "",
        f"**Correctness** (bench/oracle.py, the slow computation from the raw rows): the bench PT's "
        f"500 children, 300 children of the clinic's whole caseload, and the clinic's year of "
        f"outcomes read from the replica: {f['oracle']['count']} mismatches "
        f"({f['oracle']['seconds']:.0f} s).",
        "",
        "**Fault drills**",
        "",
    ]
    d, r, p = f["drill_app"], f["drill_replica"], f["drill_primary"]
    lines += [
        f"- *An app server killed mid-load.* 8 guardians submitted {d['sent']:,} diaries through "
        f"both app servers; {d['killed_at_s']:.1f} s in (a quarter of them acknowledged), one server "
        f"and its workers got SIGKILL. "
        f"{d['retried']} submissions found their server gone (a refused or broken connection) and "
        f"the balancer (the bench's client) sent each again to the other server with the same "
        f"idempotency key. {d['acknowledged']:,} acknowledged, "
        f"{d['acknowledged_missing']} of them missing, {d['doubled']} stored twice; "
        f"{d['stored']:,} stored in all.",
        f"- *The replica stopped.* The outcomes page answered {r['down'][0]} in {r['down'][2]} ms "
        f"from the primary, {'with' if r['down'][1] else '**without**'} its note that the reporting "
        f"copy is not answering; the caseload answered {r['caseload_down']}. With the replica "
        f"started again, the page answered {r['after'][0]} "
        f"{'without the note' if not r['after'][1] else '**still with the note**'}.",
        f"- *The primary restarted.* /healthz said 503 on both app servers within "
        f"{p['to_503_s']:.1f} s of the stop (and {', '.join(str(c) for c in p['while_down'])} two "
        f"seconds later); the primary took {p['primary_start_s']:.1f} s to start; both app servers "
        f"answered 200 within {p['to_200_s']:.1f} s after that and served the caseload "
        f"({', '.join(str(c) for c in p['pages_after'])}) without being restarted; the tasks "
        f"worker {'was still running' if p['worker_alive'] else '**had stopped**'}.",
        "",
        f"Largest tables at the end: {f['database']['tables']}.",
        "",
        NOTES,
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--clinics", type=int, default=20)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "backto-scale"))
    parser.add_argument("--requests", type=int, default=400, help="requests a page phase")
    parser.add_argument("--load-only", action="store_true", help="load DIR and stop")
    parser.add_argument("--from-figures", action="store_true", help="write DIR's last figures")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    if args.load_only:
        primary, loaded = prepared(args)
        primary.stop()
        print(json.dumps(loaded, indent=1))
        return
    if args.from_figures:  # rewrite the section from a run's figures (after editing the notes)
        figures = json.loads(Path(args.data, "figures.json").read_text())
    else:
        figures = measure(args)
        Path(args.data, "figures.json").write_text(json.dumps(figures, indent=1, default=str))
    section = markdown(figures, args)
    print(section)
    if args.results:
        write_section(args.results, section)


if __name__ == "__main__":
    main()
