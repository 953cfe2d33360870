"""Black-box security probes (issue 16): a real BackTo attacked over HTTP the way the security
tester did, on SQLite and on PostgreSQL. About a minute on SQLite on 2 CPUs, two on PostgreSQL.

    .venv/bin/python bench/security_probes.py [--database sqlite|postgres|both] [--patients 6]
                                 [--sample 1] [--rounds 3] [--results bench/RESULTS.md]

For each database: a throwaway var dir with the demo clinic (`backto demo`, 12 children, of which
the first `--patients` are crawled) and a second clinic,
served by gunicorn (3 workers) on 127.0.0.1 with the app's own settings in production mode,
as behind one reverse proxy (BACKTO_PROXY_COUNT=1, so that each sign-in probe comes from
addresses of its own). On PostgreSQL, the two roles of docs/deployment.md: an owner runs the
migrations and the documented GRANTs, the app role serves. The servers are stopped whatever
happens. In order:

1. privacy: every persona (the care team, clinicians off it, the coordinator, the admin, every
   followed child's guardian and teen, another clinic's staff and family) asks for every record
   URL: each URL pattern with an id, filled with each child's records (`--sample` of each kind).
   Outside the person's circle the answer must be, byte for byte, the one a record that does not
   exist gets; inside it, a role without the page's permission gets 403 (the permission table).
   A teen keeps today's mood, notes and win private: no page, PDF or zip (the outcomes export)
   fetched by anyone but the care team and the teen shows them, nor links to the safety alert
   they raised.
2. lockout: wrong passwords under every spelling of an account (name, NAME, " name", its email)
   pause it for all of them, the right password included; a success clears no other account's
   pause; a name without an account is paused alike (same answer, same time); one address failing
   across many names is paused, whatever the client writes into X-Forwarded-For before the
   proxy's entry.
3. kill -9: diary entries posted with idempotency keys (sent again when the connection is cut)
   while every gunicorn worker is SIGKILLed, three times: each entry stored exactly once.
4. crash: the seven former server errors replayed, and every form and query string the crawl
   saw sent again with hostile values (`--rounds` times): no 5xx, and no traceback logged at
   ERROR in the server's log by any probe.
5. tamper: after `backto audit seal` and `checkpoint`, copies of the database with an event
   deleted, rewritten (INSERT OR REPLACE; an UPDATE on PostgreSQL) and the newest events cut
   off: each first refused (SQLite's triggers; PostgreSQL's app role), then done past them
   (dropping the triggers; as the superuser), and `backto audit verify` must fail naming the
   first missing or changed event; an untouched copy verifies. On PostgreSQL the app role may
   not DELETE, TRUNCATE, disable or drop the trigger, or set session_replication_role.

One line a probe: PASS or FAIL, its counts and seconds, then the holes found (a request, who
sent it, the answer). The exit status is 1 when any probe found a hole. Shares nothing with the
test suite: its own var dir, database, settings and accounts.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import itertools
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import Session, sign_in
from bench.results import write_section
from bench.servers import PROJECT, VENV_BIN, backto, bench_env, gunicorn, postgres

HEADING = "## Security probes (issue 16)"
PASSWORD = "probe-password-1"
ACCOUNT_LIMIT = 5  # BACKTO_LOGIN_FAILURE_LIMIT, the default
ADDRESS_LIMIT = 12  # BACKTO_LOGIN_FAILURE_LIMIT_PER_ADDRESS (30 by default: fewer Argon2 hashes)
WORKERS = 3
THREADS = 6
GHOST_ID = 10**12  # a record id no table holds
# The demo clinic's children (its default): enough for the de-identified outcomes export (at
# least 5 episodes once rare rows are withheld), which the privacy probe reads. `--patients` of
# them are crawled.
DEMO_CHILDREN = 12
IN_CIRCLE = 2  # pages of each kind read inside a person's circle, beyond the followed child's
REPORT_KINDS = ("family", "physician", "school", "discharge")
# The URL parameters that name a record, and the model each names (by app label: stable).
RECORD_PARAMS = {
    "patient_id": "patients.Patient",
    "episode_id": "patients.Episode",
    "member_id": "patients.CareTeamMember",
    "goal_id": "goals.Goal",
    "step_id": "goals.GoalStep",
    "win_id": "wins.Win",
    "session_id": "careplan.TherapySession",
    "administration_id": "measures.Administration",
    "alert_id": "alerts.SafetyAlert",
    "assignment_id": "learning.PageAssignment",
    "user_id": "accounts.User",
    "invitation_id": "accounts.Invitation",
    "exercise_id": "homeprogram.Exercise",
}
SECRET = uuid.uuid4().hex[:10]
PRIVATE_NOTE = f"privatenote{SECRET}"  # no spaces or hyphens: a PDF's line breaks keep it whole
PRIVATE_WIN = f"privatewin{SECRET}"


# --- talking to the server -------------------------------------------------------------------


class KeptConnection(http.client.HTTPConnection):
    """Keeps each response's body as `response.body` (Session.request reads and drops it)."""

    def getresponse(self) -> http.client.HTTPResponse:
        response = super().getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        return response


@dataclass
class Reply:
    status: int  # 0: the connection broke
    body: bytes
    location: str = ""
    content_type: str = ""
    seconds: float = 0.0


def browser(base: str, cookies: dict[str, str] | None = None) -> Session:
    parts = urllib.parse.urlsplit(base)
    connection = KeptConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    return Session(connection, dict(cookies or {}))


def call(
    session: Session,
    method: str,
    path: str,
    body: str | bytes = "",
    headers: dict[str, str] | None = None,
) -> Reply:
    try:
        # Session.request sends bytes as they are (a file upload) though it says str.
        response = session.request(
            method,
            path,
            body,  # type: ignore[arg-type]
            {"Referer": "http://127.0.0.1/", **(headers or {})},
        )
    except (OSError, http.client.HTTPException) as error:
        session.conn.close()
        return Reply(0, repr(error).encode())
    return Reply(
        response.status,
        response.body,  # type: ignore[attr-defined]
        response.getheader("Location") or "",
        response.getheader("Content-Type") or "",
    )


def persona_session(base: str, username: str) -> Session:
    session = sign_in(base, username, PASSWORD)
    session.conn = KeptConnection(session.conn.host, session.conn.port, timeout=60)
    return session


def form_body(session: Session, fields: dict[str, object] | Sequence[tuple[str, object]]) -> str:
    pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
    return urllib.parse.urlencode([*pairs, ("csrfmiddlewaretoken", session.csrf)], doseq=True)


def multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    boundary = "probe" + uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode("utf-8", "surrogatepass") + b"\r\n")
    for name, filename, content in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# --- results ---------------------------------------------------------------------------------


@dataclass
class Probe:
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    holes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def hole(self, text: str) -> None:
        self.holes.append(text)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def line(self) -> str:
        counts = ", ".join(f"{n:,} {key}" for key, n in self.counts.items())
        verdict = "PASS" if not self.holes else f"FAIL ({len(self.holes)} holes)"
        return f"{verdict} {self.name}: {counts} ({self.seconds:.1f} s)"


@contextlib.contextmanager
def timed(probe: Probe) -> Iterator[Probe]:
    started = time.perf_counter()
    try:
        yield probe
    except Exception as error:  # a probe that cannot finish found something, or broke: say so
        where = traceback.extract_tb(error.__traceback__)[-1]
        probe.hole(f"the probe stopped: {error!r} (line {where.lineno}: {where.line})")
    finally:
        probe.seconds = time.perf_counter() - started


# --- the deployment --------------------------------------------------------------------------


@dataclass
class Deployment:
    database: str
    var: Path
    env: dict[str, str]
    superuser_url: str = ""  # PostgreSQL: the cluster's superuser, for copies and tampering
    app_url: str = ""
    seeded: dict = field(default_factory=dict)
    setup_seconds: float = 0.0
    followed: int = 0  # the demo children the privacy probe crawls


def app_env(var: Path, database_url: str = "") -> dict[str, str]:
    env = bench_env(var, database_url)
    env.update(
        {
            # The app's own settings (the bench settings turn sign-in pauses off).
            "DJANGO_SETTINGS_MODULE": "backto.settings",
            "BACKTO_PROXY_COUNT": "1",
            "BACKTO_LOGIN_FAILURE_LIMIT": str(ACCOUNT_LIMIT),
            "BACKTO_LOGIN_FAILURE_LIMIT_PER_ADDRESS": str(ADDRESS_LIMIT),
            "GUNICORN_CMD_ARGS": f"--error-logfile {var / 'server.log'} --capture-output",
        }
    )
    return env


def run_json(code: str, env: dict[str, str], *args: str) -> dict:
    """Run a script in the app's environment; the last line it prints, as JSON."""
    out = subprocess.run(
        [str(VENV_BIN / "python"), "-c", code, *args],
        env=env,
        cwd=PROJECT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def documented_grants() -> list[str]:
    """The ```sql block of docs/deployment.md's section on the app role, statement by statement."""
    text = (PROJECT / "docs" / "deployment.md").read_text()
    section = text[text.index("### The audit log: a database role that cannot rewrite it") :]
    block = section[section.index("```sql\n") + 7 :]
    block = block[: block.index("```")]
    lines = [line for line in block.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def pg_execute(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def with_user(url: str, user: str, database: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts._replace(
        netloc=f"{user}@{parts.hostname}:{parts.port}", path=f"/{database}"
    ).geturl()


SEED = """
import django, json, sys; django.setup()
from datetime import date
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.utils import timezone
model = apps.get_model
Clinic, User, StaffRole = (model("accounts", n) for n in ("Clinic", "User", "StaffRole"))
Patient, Episode, Guardianship, CareTeamMember = (
    model("patients", n) for n in ("Patient", "Episode", "Guardianship", "CareTeamMember"))
clinic = Clinic.objects.create(name="Probe clinic B", slug="probe-b", staff_two_factor_required=False)
hashed = make_password(sys.argv[1])
def person(username, kind, role=None):
    user = User.objects.create(clinic=clinic, username=username, kind=kind, password=hashed,
                               email=username + "@example.org")
    if role:
        StaffRole.objects.create(user=user, role=role)
    return user
def child(name):
    patient = Patient.objects.create(clinic=clinic, legal_name=name, date_of_birth=date(2012, 5, 1))
    episode = Episode.objects.create(patient=patient, state="active", referral_date=date.today(),
                                     state_changed_at=timezone.now())
    return patient, episode
pt = person("probe-b-pt", "staff", "physical_therapist")
person("probe-b-coordinator", "staff", "coordinator")
person("probe-b-admin", "staff", "clinic_admin")
patient, episode = child("Probe Other Clinic Child")
Guardianship.objects.create(guardian=person("probe-b-parent", "guardian"), patient=patient)
CareTeamMember.objects.create(episode=episode, clinician=pt, discipline="pt")
kill = person("probe-kill-parent", "guardian")
kids = [child(f"Probe Kill Child {n}")[0] for n in range(int(sys.argv[2]))]
Guardianship.objects.bulk_create(Guardianship(guardian=kill, patient=p) for p in kids)
# The teen whose private answers the privacy probe follows: the first demo child with a teen
# account, an open episode and a care team.
followed = Patient.objects.filter(clinic__slug="demo").order_by("pk")[: int(sys.argv[3])]
private = next(p for p in followed if p.teen_account_id
               and CareTeamMember.objects.filter(episode__patient=p).exists()
               and p.episodes.filter(state__in=["intake", "active"]).exists())
print(json.dumps({"kill_children": [p.pk for p in kids], "private_patient": private.pk,
                  "private_teen": private.teen_account.username}))
"""


def deploy(stack: contextlib.ExitStack, database: str, patients: int) -> Deployment:
    started = time.perf_counter()
    var = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="backto-probes.")))
    if database == "PostgreSQL":
        superuser = stack.enter_context(postgres())
        pg_execute(
            superuser,
            "CREATE ROLE backto_owner LOGIN",
            "CREATE ROLE backto LOGIN",
            "CREATE DATABASE backto_probe OWNER backto_owner",
        )
        owner = with_user(superuser, "backto_owner", "backto_probe")
        backto(app_env(var, owner), "migrate", "--noinput", "-v0")
        pg_execute(owner, *documented_grants())
        app = with_user(superuser, "backto", "backto_probe")
        deployment = Deployment(database, var, app_env(var, app), superuser, app)
    else:
        deployment = Deployment(database, var, app_env(var))
        backto(deployment.env, "migrate", "--noinput", "-v0")
    env = deployment.env
    backto(env, "collectstatic", "--noinput", "-v0")
    children = str(max(patients, DEMO_CHILDREN))
    backto(env, "demo", "--password", PASSWORD, "--patients", children, "-v0")
    deployment.seeded = run_json(SEED, env, PASSWORD, "30", str(patients))
    deployment.followed = patients
    deployment.setup_seconds = time.perf_counter() - started
    return deployment


# --- what there is to ask for, and who may see it (from the database: the probe's oracle) -----

CATALOGUE = """
import django, json, re, sys; django.setup()
from django.apps import apps
from django.db.models import F
from django.urls import URLResolver, get_resolver
PARAMS, SAMPLE, KINDS, GHOST = json.loads(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
FOLLOWED = int(sys.argv[5])  # the demo children crawled (the demo has more: the export needs 5)
model = lambda label: apps.get_model(*label.split("."))
User, Patient, Clinic = model("accounts.User"), model("patients.Patient"), model("accounts.Clinic")
Guardianship, CareTeamMember = model("patients.Guardianship"), model("patients.CareTeamMember")

def routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield p.name or "", "/" + prefix + str(p.pattern)

def to_patient(m, depth=0):
    # The lookup from a model to its child, through foreign keys ("" for Patient itself).
    if m is Patient:
        return ""
    fks = [f for f in m._meta.concrete_fields if f.many_to_one and f.related_model is not m]
    for f in fks:
        if f.related_model is Patient:
            return f.name
    for f in fks if depth < 2 else []:
        below = to_patient(f.related_model, depth + 1)
        if below is not None:
            return f"{f.name}__{below}" if below else f.name
    return None

clinics = {c.slug: c.pk for c in Clinic.objects.filter(slug__in=["demo", "probe-b"])}
targets = list(Patient.objects.filter(clinic_id=clinics["demo"]).order_by("pk").values_list("pk", flat=True)[:FOLLOWED])
targets += list(Patient.objects.filter(guardianships__guardian__username="probe-b-parent").values_list("pk", flat=True))
clinic_of = dict(Patient.objects.filter(pk__in=targets).values_list("pk", "clinic_id"))
team = {p: set(CareTeamMember.objects.filter(episode__patient_id=p).values_list("clinician__username", flat=True)) for p in targets}
teen = dict(Patient.objects.filter(pk__in=targets, teen_account__isnull=False).values_list("pk", "teen_account__username"))
urls, ghosts, skipped = [], {}, []
for name, route in routes(get_resolver().url_patterns):
    params = re.findall(r"<(?:\\w+:)?(\\w+)>", route)
    if not params:
        continue
    ids = [p for p in params if p in PARAMS]
    if not ids or set(params) - set(ids) - {"kind"}:
        skipped.append(route)
        continue
    def fill(values):
        return re.sub(r"<(?:\\w+:)?(\\w+)>", lambda m: str(values[m.group(1)]), route)
    kinds = KINDS if "kind" in params else [None]
    ghosts[name] = fill({**{p: GHOST for p in ids}, "kind": "family"})
    leaf = model(PARAMS[ids[-1]])
    path = to_patient(leaf)
    objects = leaf._default_manager.order_by("-pk")
    if path is not None:
        rows = objects.filter(**{f"{path}__in" if path else "pk__in": targets})
        chosen, per = [], {}
        for row in rows.annotate(probe_patient=F(path or "pk")):
            every = leaf in (Patient, model("patients.Episode"))
            if every or per.get(row.probe_patient, 0) < SAMPLE:
                per[row.probe_patient] = per.get(row.probe_patient, 0) + 1
                chosen.append((row, row.probe_patient))
    else:
        chosen = [(row, None) for c in clinics.values() for row in objects.filter(clinic_id=c)[:SAMPLE]]
    for row, patient in chosen:
        values = {p: (row.pk if p == ids[-1] else getattr(row, p)) for p in ids}
        clinic = clinic_of[patient] if patient else row.clinic_id
        private = bool(getattr(row, "private", False)) and name == "safety_alert"
        only = sorted(team[patient] | ({teen[patient]} if patient in teen else set())) if private else None
        for kind in kinds:
            urls.append({"name": name, "url": fill({**values, "kind": kind}), "patient": patient,
                         "clinic": clinic, "only": only})
personas = []
for user in User.objects.filter(username__regex=r"^(demo-|probe-b-)").prefetch_related("staff_roles"):
    roles = {r.role for r in user.staff_roles.all()}
    if roles & {"coordinator", "clinic_admin"}:
        circle = [p for p in targets if clinic_of[p] == user.clinic_id]
    elif user.kind == "guardian":
        circle = list(Guardianship.objects.filter(guardian=user, patient__in=targets).values_list("patient_id", flat=True))
    elif user.kind == "teen":
        circle = list(Patient.objects.filter(teen_account=user, pk__in=targets).values_list("pk", flat=True))
    else:
        circle = [p for p in targets if user.username in team[p]]
    if not roles and not circle:
        continue  # the family of a demo child not followed
    personas.append({"username": user.username, "kind": user.kind, "roles": sorted(roles),
                     "clinic": user.clinic_id, "circle": circle})
print(json.dumps({"urls": urls, "ghosts": ghosts, "skipped": skipped, "personas": personas,
                  "team": {p: sorted(t) for p, t in team.items()}, "teen": teen}))
"""


def catalogue(deployment: Deployment, sample: int) -> dict:
    return run_json(
        CATALOGUE,
        deployment.env,
        json.dumps(RECORD_PARAMS),
        str(sample),
        json.dumps(REPORT_KINDS),
        str(GHOST_ID),
        str(deployment.followed),
    )


class PageParser(HTMLParser):
    """A page's forms (method, action, enctype, fields) and the links that carry a query."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "?" in a.get("href", ""):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "multipart": "multipart" in a.get("enctype", ""),
                "fields": [],
                "files": [],
            }
            self.forms.append(self._form)
        elif tag == "option" and self._form is not None and self._select is not None:
            self._form["fields"].append((self._select, a.get("value", "")))
            self._select = None  # the first option: a value the form offers
        elif self._form is None or "name" not in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self._form["files"].append(a["name"])
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self._form["fields"].append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                self._form["fields"].append((a["name"], a.get("value", "on")))
        elif tag == "button" and a.get("value"):
            self._form["fields"].append((a["name"], a["value"]))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._form["fields"].append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_text(reply: Reply) -> str:
    """What a person reads in a reply: a page's text, a PDF's text, every file of a zip."""
    if reply.content_type.startswith("application/pdf"):
        import pypdfium2

        document = pypdfium2.PdfDocument(reply.body)
        text = " ".join(page.get_textpage().get_text_range() for page in document)
        return text + "\n" + re.sub(r"\s+", "", text)
    if reply.content_type.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(reply.body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return reply.body.decode("utf-8", "replace")


# --- 2. privacy ------------------------------------------------------------------------------

FAMILY = ("guardian", "teen")
READ_AS = {"application/pdf": "PDFs", "application/zip": "zip files"}
CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*|(csrftoken=)[^;"]*')


@dataclass
class Crawl:
    """What the privacy probe leaves for the crash probe: signed-in personas and what they saw."""

    sessions: dict[str, Session] = field(default_factory=dict)
    forms: dict[tuple, tuple[str, str, dict]] = field(default_factory=dict)
    links: dict[tuple, tuple[str, str]] = field(default_factory=dict)
    cat: dict = field(default_factory=dict)
    shapes: set[tuple[str, str]] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, username: str, path: str, reply: Reply) -> None:
        if reply.status != 200 or not reply.content_type.startswith("text/html"):
            return
        shape = (re.sub(r"\d+", "N", path), username.rstrip("0123456789"))
        with self.lock:
            if shape in self.shapes:
                return  # parsing is slow: each page once a kind of persona
            self.shapes.add(shape)
        parser = PageParser()
        parser.feed(reply.body.decode("utf-8", "replace"))
        with self.lock:
            for form in parser.forms:
                if form["method"] != "post":
                    continue
                action = urllib.parse.urljoin(path, form["action"] or path)
                names = tuple(sorted({n for n, _ in form["fields"]} | set(form["files"])))
                self.forms.setdefault(
                    (re.sub(r"\d+", "N", action), names), (username, action, form)
                )
            for href in parser.links:
                target = urllib.parse.urljoin(path, href)
                parts = urllib.parse.urlsplit(target)
                if parts.netloc:
                    continue
                names = tuple(sorted(urllib.parse.parse_qs(parts.query, keep_blank_values=True)))
                self.links.setdefault((re.sub(r"\d+", "N", parts.path), names), (username, target))


def normalized(body: bytes) -> bytes:
    return CSRF_VALUE.sub(rb"\1\2", body)


def same(mine: Reply, ghost: Reply) -> bool:
    return mine.status == ghost.status and normalized(mine.body) == normalized(ghost.body)


def first_difference(mine: bytes, ghost: bytes) -> str:
    ours, theirs = normalized(mine).splitlines(), normalized(ghost).splitlines()
    for n, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"; the pages differ at line {n + 1}: {a.strip()[:80]!r} / {b.strip()[:80]!r}"
    return "" if len(ours) == len(theirs) else "; the pages differ in length"


def sign_in_everyone(base: str, usernames: list[str], crawl: Crawl) -> None:
    with ThreadPoolExecutor(THREADS) as pool:
        for username, session in zip(
            usernames, pool.map(lambda u: persona_session(base, u), usernames), strict=True
        ):
            crawl.sessions[username] = session


def write_private_entry(session: Session, patient: int) -> Reply:
    """Today's diary by the teen: mood at its lowest (a safety answer), what they did and their
    win, all three kept from their guardians."""
    answers = [
        ("activity", "2"),
        ("activity_note", PRIVATE_NOTE),
        ("school", "9"),
        ("sleep_hours", "8"),
        ("sleep_quality", "2"),
        ("mood", "0"),
        ("home_program", "1"),
        ("win", PRIVATE_WIN),
        ("private_fields", "mood"),
        ("private_fields", "activity_note"),
        ("private_fields", "win"),
        ("idempotency_key", str(uuid.uuid4())),
    ]
    return call(session, "POST", f"/patients/{patient}/diary/", form_body(session, answers))


def clinic_pages(private: int) -> list[str]:
    today = time.strftime("%Y-%m-%d")
    return [
        f"/outcomes/?start=2020-01-01&end={today}",
        f"/outcomes/export.zip?start=2020-01-01&end={today}",
        "/",
        "/clinic/",
        "/clinic/?show=clinic",
        "/clinic/?show=clinic&flag=safety",
        "/family/",
        "/account/",
        "/manage/audit/",
        f"/manage/audit/?patient={private}",
        "/manage/families/",
        "/manage/staff/",
        "/outcomes/",
        "/outcomes/export.zip",
        "/learn/",
    ]


@dataclass
class Seen:
    counts: Counter = field(default_factory=Counter)
    holes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    matrix: dict[tuple[str, str], Counter] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)  # server errors: who got them


def crawl_as(persona: dict, cat: dict, private: int, sees: set[str], crawl: Crawl) -> Seen:
    name, kind = persona["username"], persona["kind"]
    role = persona["roles"][0] if persona["roles"] else kind
    if persona["clinic"] != cat["home_clinic"]:
        role = "other clinic " + role
    session = crawl.sessions[name]
    circle = set(persona["circle"])
    seen = Seen()
    taken: Counter = Counter()

    secrets = [PRIVATE_NOTE, PRIVATE_WIN, *(u["url"] for u in cat["urls"] if u["only"])]

    def look(method: str, url: str, reply: Reply) -> None:
        if reply.status >= 500 or reply.status == 0:
            where = f"{method} {re.sub(r'[0-9]+', 'N', url)} answered {reply.status}"
            seen.errors.setdefault(where, []).append(name)
        if name not in sees and reply.status == 200:
            text = page_text(reply)
            what = READ_AS.get(reply.content_type.split(";")[0], "pages")
            seen.counts[f"{what} searched for private answers"] += 1
            leaked = [s for s in secrets if s in text]
            if leaked:
                seen.holes.append(f"{name}: {method} {url} shows the teen's private {leaked}")
        crawl.saw(name, url, reply)

    ghosts: dict[str, tuple[Reply, Reply | None]] = {}
    for route, url in cat["ghosts"].items():
        get = call(session, "GET", url)
        post = call(session, "POST", url, form_body(session, {})) if get.status == 405 else None
        ghosts[route] = (get, post)
        if not 400 <= get.status < 500 or (post is not None and not 400 <= post.status < 500):
            seen.holes.append(f"{name}: {url} (no such record) answered {get.status}")
    for u in cat["urls"]:
        patient, url = u["patient"], u["url"]
        inside = patient in circle if patient else u["clinic"] == persona["clinic"]
        if u["only"] is not None and name not in u["only"]:
            inside = False
        route = (
            f"{u['name']}:{url.rsplit('/', 1)[-1][:-4]}" if u["name"] == "report_pdf" else u["name"]
        )
        if inside and patient != private:
            # Inside the circle every page of the followed child is read; of the others, the
            # first IN_CIRCLE of each kind (and no PDF: each takes half a second to draw).
            taken[route] += 1
            if taken[route] > IN_CIRCLE or u["name"] == "report_pdf":
                continue
        reply = call(session, "GET", url)
        look("GET", url, reply)
        if inside:
            seen.matrix.setdefault((route, role), Counter())[reply.status] += 1
            seen.counts["answers inside the circle"] += 1
            continue
        if u["clinic"] != persona["clinic"]:
            category = "cross-clinic reads refused"
        elif patient in circle:
            category = "private-alert reads refused"
        else:
            category = "cross-family reads refused" if kind in FAMILY else "off-team reads refused"
        get, post = ghosts[u["name"]]
        answers = [(reply, get, "GET")]
        if post is not None:
            answers.append((call(session, "POST", url, form_body(session, {})), post, "POST"))
        for mine, ghost, method in answers:
            if not same(mine, ghost):
                # A flash message left by the page before shows once: ask both again.
                body = form_body(session, {}) if method == "POST" else ""
                mine = call(session, method, url, body)
                ghost = call(session, method, cat["ghosts"][u["name"]], body)
            if not same(mine, ghost):
                seen.holes.append(
                    f"{name} ({role}): {method} {url} answered {mine.status}, a record that does "
                    f"not exist {ghost.status}{first_difference(mine.body, ghost.body)}"
                )
            else:
                seen.counts[category] += 1
    for url in clinic_pages(private):
        look("GET", url, call(session, "GET", url))
    return seen


def privacy(base: str, deployment: Deployment, crawl: Crawl, sample: int) -> Probe:
    probe = Probe("privacy")
    with timed(probe):
        private, teen = deployment.seeded["private_patient"], deployment.seeded["private_teen"]
        sign_in_everyone(base, [teen], crawl)
        written = write_private_entry(crawl.sessions[teen], private)
        if written.status != 302:
            raise RuntimeError(f"the teen's private entry was not saved: {written.status}")
        cat = crawl.cat = catalogue(deployment, sample)
        cat["home_clinic"] = next(
            p["clinic"] for p in cat["personas"] if p["username"] == "demo-admin"
        )
        missing = [p["username"] for p in cat["personas"] if p["username"] not in crawl.sessions]
        sign_in_everyone(base, missing, crawl)
        sees = set(cat["team"][str(private)]) | {teen}
        # The control: the care team does read the private answers (else nothing is proven).
        lead = crawl.sessions[sorted(cat["team"][str(private)])[0]]
        shown = call(lead, "GET", f"/patients/{private}/diary/calendar/").body.decode()
        if PRIVATE_NOTE not in shown or PRIVATE_WIN not in shown:
            probe.hole("control: the care team does not see the teen's private answers")
        with ThreadPoolExecutor(THREADS) as pool:
            parts = list(
                pool.map(lambda p: crawl_as(p, cat, private, sees, crawl), cat["personas"])
            )
        matrix: dict[tuple[str, str], Counter] = {}
        errors: dict[str, list[str]] = {}
        for part in parts:
            for key, n in part.counts.items():
                probe.count(key, n)
            probe.holes.extend(part.holes)
            for cell, statuses in part.matrix.items():
                matrix.setdefault(cell, Counter()).update(statuses)
            for where, names in part.errors.items():
                errors.setdefault(where, []).extend(names)
        for where, names in errors.items():
            names.sort()
            more = ", ..." if len(names) > 4 else ""
            probe.hole(f"{where} to {len(names)} personas ({', '.join(names[:4])}{more})")
        probe.notes.append(
            f"{len(cat['personas'])} personas x {len(cat['urls'])} record URLs "
            f"({len(cat['ghosts'])} URL patterns; not record-scoped: {len(cat['skipped'])})"
        )
        if os.environ.get("PROBE_MATRIX"):
            for (route, role), statuses in sorted(matrix.items()):
                print(f"  {route:32} {role:32} {dict(statuses)}")
        wrong_role(probe, matrix)
        probe.counts = dict(sorted(probe.counts.items(), key=lambda kv: -kv[1]))
    return probe


NOT_CLINICAL = ("clinic_admin", "guardian", "teen")
STAFF = ("physical_therapist", "occupational_therapist", "counselor", "physician", "coordinator")
# Pages a role may not read, from the permission table (docs/permissions.md): the page, and the
# roles without the permission it asks for. Anyone else in the circle gets the page.
WRONG_ROLE = {
    "patient_edit": NOT_CLINICAL,  # patient_edit
    "episode_open": NOT_CLINICAL,  # episode_open
    "goal_edit": NOT_CLINICAL,  # goal_edit
    "session_list": NOT_CLINICAL,  # session_view
    "session_detail": NOT_CLINICAL,
    "care_plan": NOT_CLINICAL,  # care_plan_edit
    "discharge": NOT_CLINICAL,
    "episode_measures": NOT_CLINICAL,  # measure_view
    "access_log": ("teen",),  # access_log_view
    "diary_today": (*STAFF, "clinic_admin"),  # diary_write
    "school_plan": ("clinic_admin", "teen"),  # report_export; guardians approve it
    "report_pdf:family": ("clinic_admin", "teen"),  # guardians print the family report
    "report_pdf:physician": NOT_CLINICAL,  # report_export
    "report_pdf:school": NOT_CLINICAL,
    "report_pdf:discharge": NOT_CLINICAL,
    "staff_detail": (*STAFF, "guardian", "teen"),  # staff_manage
}


def wrong_role(probe: Probe, matrix: dict[tuple[str, str], Counter]) -> None:
    """Inside the circle, a role without the page's permission gets 403, and never the page."""
    for (route, role), statuses in sorted(matrix.items()):
        if role.removeprefix("other clinic ") not in WRONG_ROLE.get(route, ()):
            continue
        if set(statuses) - {403}:
            probe.hole(f"{role} on {route}: answers {dict(statuses)}, not 403")
        else:
            probe.count("wrong-role reads refused (403)", statuses[403])


# --- 1. lockout ------------------------------------------------------------------------------

SIGN_INS = itertools.count()  # every attempt, from any thread


def attempt(base: str, username: str, password: str, address: str, spoof: str = "") -> Reply:
    """One sign-in from `address`, as the reverse proxy reports it (after whatever the client
    wrote into X-Forwarded-For itself: `spoof`)."""
    next(SIGN_INS)
    session = browser(base)
    headers = {"X-Forwarded-For": f"{spoof}, {address}" if spoof else address}
    call(session, "GET", "/accounts/login/", headers=headers)
    body = form_body(session, {"username": username, "password": password})
    started = time.perf_counter()
    reply = call(session, "POST", "/accounts/login/", body, headers)
    reply.seconds = time.perf_counter() - started
    return reply


def spellings(name: str) -> list[str]:
    return [name, name.upper(), f" {name}", f"{name}@example.org", f" {name.title()}@Example.ORG "]


def fail(base: str, names: list[str], net: int, tries: int = ACCOUNT_LIMIT) -> list[Reply]:
    """Wrong passwords, cycling through `names`, each from its own address."""
    return [
        attempt(base, names[n % len(names)], "wrong password", f"198.51.{net}.{n + 1}")
        for n in range(tries)
    ]


def expect_pause(seen: Seen, what: str, replies: list[Reply], limit: int = ACCOUNT_LIMIT) -> None:
    statuses, wanted = [r.status for r in replies], [200] * (limit - 1) + [429]
    if statuses != wanted:
        seen.holes.append(f"{what}: answers {statuses}, not {wanted}")
    else:
        seen.counts["pauses at the limit"] += 1


def expect_refused(seen: Seen, what: str, reply: Reply) -> None:
    if reply.status == 429:
        seen.counts["right passwords refused while paused"] += 1
    else:
        seen.holes.append(f"{what}: answered {reply.status}, not 429")


def every_spelling_shares_one_pause(base: str) -> Seen:
    seen = Seen()
    names = spellings("demo-parent-1")
    expect_pause(seen, f"wrong passwords as {names}", fail(base, names, 1))
    for n, typed in enumerate(names):
        reply = attempt(base, typed, PASSWORD, f"198.51.2.{n + 1}")
        expect_refused(seen, f"the right password as {typed!r}, the account paused", reply)
    return seen


def a_success_clears_only_its_own_account(base: str) -> Seen:
    seen = Seen()
    paused, other = spellings("demo-parent-2"), spellings("demo-physician")
    expect_pause(seen, f"wrong passwords as {paused}", fail(base, paused, 3))
    fail(base, other, 4, ACCOUNT_LIMIT - 1)
    reply = attempt(base, other[-1], PASSWORD, "198.51.5.1")
    if reply.status != 302:
        seen.holes.append(f"4 failures, then the right password as {other[-1]!r}: {reply.status}")
    for n, typed in enumerate(paused[::3]):
        reply = attempt(base, typed, PASSWORD, f"198.51.5.{n + 2}")
        expect_refused(seen, f"{typed!r} after another account signed in", reply)
    return seen


def a_name_without_an_account_is_paused_alike(base: str) -> Seen:
    """The same answers, the same pause and the same time for a name with an account and one
    without, in the spellings that name one account either way (case, spaces)."""
    seen = Seen()
    known, unknown = [], []
    for n in range(ACCOUNT_LIMIT + 1):  # interleaved: both see the same load on the server
        known += fail(base, spellings("demo-ot")[n % 3 : n % 3 + 1], 6 + n, 1)
        unknown += fail(base, spellings("nobody-here")[n % 3 : n % 3 + 1], 12 + n, 1)
    expect_pause(seen, "a name with an account", known[:ACCOUNT_LIMIT])
    expect_pause(seen, "a name without", unknown[:ACCOUNT_LIMIT])
    if not same(known[-1], unknown[-1]):
        seen.holes.append(
            f"paused: a name with an account answered {known[-1].status}, one without "
            f"{unknown[-1].status}{first_difference(known[-1].body, unknown[-1].body)}"
        )
    # The time a refusal takes must not tell either: the same password hashing for both.
    times = [
        statistics.median(r.seconds for r in rs[: ACCOUNT_LIMIT - 1]) for rs in (known, unknown)
    ]
    seen.notes.append(
        f"a wrong password takes {times[0] * 1000:.0f} ms for a name with an account, "
        f"{times[1] * 1000:.0f} ms for one without (median)"
    )
    if max(times) / min(times) > 3:
        seen.holes.append(f"a wrong password takes {times} s with / without an account")
    return seen


def a_username_and_an_email_tell_nothing_together(base: str) -> Seen:
    """Failures alternating a username and an email address of one account pause at the limit
    (both spellings count for the account); for two names without an account each spelling is
    counted alone, so the pause comes at the limit for each. That difference is the one thing a
    pause tells, by design (docs/permissions.md, "Signing in"); anything else is a hole."""
    seen = Seen()
    for net, name, expected in (
        (20, "demo-pt", ACCOUNT_LIMIT),
        (21, "nobody-else", 2 * ACCOUNT_LIMIT - 1),
    ):
        typed = [name, f"{name}@example.org"]
        statuses = [r.status for r in fail(base, typed, net, 2 * ACCOUNT_LIMIT)]
        paused_at = next((n + 1 for n, status in enumerate(statuses) if status == 429), None)
        if paused_at == expected:
            seen.counts["pauses at the limit"] += 1
        else:
            seen.holes.append(
                f"wrong passwords alternating {typed[0]!r} and {typed[1]!r}: answers {statuses}; "
                f"the pause should come at try {expected}"
            )
    return seen


def an_address_failing_across_names_is_paused(base: str) -> Seen:
    seen = Seen()
    address = "203.0.113.77"
    failed = [
        attempt(base, f"guess{n}@example.org", "wrong password", address, spoof=f"10.{n}.0.1")
        for n in range(ADDRESS_LIMIT)
    ]
    expect_pause(seen, f"{ADDRESS_LIMIT} names from one address", failed, ADDRESS_LIMIT)
    reply = attempt(base, "demo-counselor", PASSWORD, address, spoof="10.99.0.1")
    expect_refused(seen, "a paused address, a new X-Forwarded-For entry before the proxy's", reply)
    reply = attempt(base, "demo-counselor", PASSWORD, "203.0.113.78")
    if reply.status != 302:
        seen.holes.append(f"the same account from another address: {reply.status}, not 302")
    return seen


def lockout(base: str) -> Probe:
    probe = Probe("lockout")
    with timed(probe):
        checks = (
            every_spelling_shares_one_pause,
            a_success_clears_only_its_own_account,
            a_name_without_an_account_is_paused_alike,
            a_username_and_an_email_tell_nothing_together,
            an_address_failing_across_names_is_paused,
        )
        before = next(SIGN_INS)
        with ThreadPoolExecutor(len(checks)) as pool:
            for seen in pool.map(lambda check: check(base), checks):
                for key, n in seen.counts.items():
                    probe.count(key, n)
                probe.holes.extend(seen.holes)
                probe.notes.extend(seen.notes)
        probe.counts = {"sign-ins tried": next(SIGN_INS) - before - 1, **probe.counts}
    return probe


# --- 3. crash --------------------------------------------------------------------------------

HOSTILE: list[str | bytes] = [
    "²",
    "-1",
    "0",
    "9" * 30,
    "",
    " ",
    "x" * 3000,
    "1.5",
    "NaN",
    "1e309",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "25:61",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\x00",
    "١٢٣",
    "１２",
    "[]",
    '{"a": 1}',
    "\u202e",
    "😀" * 60,
    b"\xff\xfe",
]
NEW_GOAL = {
    "title": "Sleep through the night",
    "discipline": "counseling",
    "baseline_level": "-1",
    "level_minus_2": "Cannot walk to class",
    "level_minus_1": "Walks to one class a day",
    "level_0": "Walks to every class",
    "level_plus_1": "Walks to class and the club",
    "level_plus_2": "Walks to school and every class",
}


def replays(cat: dict, private: int) -> list[tuple[str, str, str, object, set[int]]]:
    """The seven former 500s (tests/core/test_bad_input_fuzz.py and the tests it names): who
    asks, method, path, what is sent, the answers the fix gives."""
    url = {u["name"]: u["url"] for u in cat["urls"] if u["patient"] == private}
    guardian = next(
        p["username"] for p in cat["personas"] if p["kind"] == "guardian" and private in p["circle"]
    )
    clinician = sorted(cat["team"][str(private)])[0]
    far = "start=2026-01-01&end=9999-12-31"
    nested = b"[" * 100_000 + b"]" * 100_000
    huge = b'{"instrument": "fdi-child", "version": "1.0.0", "pack_format": ' + b"9" * 5000 + b"}"
    return [
        (guardian, "POST", url["exercises_today"], {"item": "²", "done": "1"}, {400}),
        (clinician, "POST", url["home_program"], {"stop": "abc"}, {400}),
        ("demo-admin", "GET", "/manage/audit/?until=9999-12-31", None, {200, 400}),
        ("demo-coordinator", "GET", f"/outcomes/?{far}", None, {400}),
        ("demo-coordinator", "GET", f"/outcomes/export.zip?{far}", None, {400}),
        ("demo-admin", "POST", "/manage/questionnaires/", ("pack", nested), {200}),
        ("demo-admin", "POST", "/manage/questionnaires/", ("pack", huge), {200}),
        ("", "POST", "/accounts/login/", {"username": "x" * 1_000_000, "password": "x"}, {200}),
        (clinician, "POST", url["goal_list"], {**NEW_GOAL, "steps": "Walk\n" + "x" * 201}, {200}),
        (clinician, "POST", url["goal_list"], {**NEW_GOAL, "steps": "x" * 1_000_000}, {200}),
    ]


def send(session: Session, method: str, path: str, data: object) -> Reply:
    if isinstance(data, tuple):  # a file upload
        body, kind = multipart(
            [("form", data[0]), ("csrfmiddlewaretoken", session.csrf)],
            [(data[0], "p.json", data[1])],
        )
        return call(session, method, path, body, {"Content-Type": kind})
    if isinstance(data, dict):
        return call(session, method, path, form_body(session, data))
    return call(session, method, path)


def fuzz_form(session: Session, action: str, form: dict, rng: random.Random) -> Reply:
    fields = [(n, rng.choice(HOSTILE)) for n, _ in form["fields"] if n != "csrfmiddlewaretoken"]
    # (form_body urlencodes bytes as they are: "\xff\xfe" arrives as invalid UTF-8)
    if form["multipart"] or form["files"]:
        texts = [(n, v.decode("latin-1") if isinstance(v, bytes) else v) for n, v in fields]
        files = [(n, "probe.bin", rng.randbytes(rng.choice([0, 50, 5000]))) for n in form["files"]]
        body, kind = multipart([*texts, ("csrfmiddlewaretoken", session.csrf)], files)
        return call(session, "POST", action, body, {"Content-Type": kind})
    return call(session, "POST", action, form_body(session, fields))


def fuzz_link(session: Session, target: str, rng: random.Random) -> tuple[str, Reply]:
    parts = urllib.parse.urlsplit(target)
    names = list(urllib.parse.parse_qs(parts.query, keep_blank_values=True))
    query = urllib.parse.urlencode([(n, rng.choice(HOSTILE)) for n in names])
    path = f"{parts.path}?{query}"
    return path, call(session, "GET", path)


def crash(base: str, crawl: Crawl, cat: dict, private: int, rounds: int) -> Probe:
    probe = Probe("crash")
    with timed(probe):
        anonymous = crawl.sessions[""] = browser(base)
        for path in ("/accounts/login/", "/accounts/password-reset/"):
            crawl.saw("", path, call(anonymous, "GET", path))
        for who, method, path, data, wanted in replays(cat, private):
            reply = send(crawl.sessions[who], method, path, data)
            probe.count("former 500s replayed")
            if reply.status not in wanted:
                error = reply.status >= 500 or not reply.status
                probe.hole(
                    f"{who or 'anonymous'}: {method} {path[:60]} answered {reply.status}, "
                    f"{'a server error' if error else 'not the fix'} (wanted {sorted(wanted)})"
                )
        # Every form and query string seen, `rounds` times with hostile values, as who saw it.
        rng = random.Random(16)
        work: dict[str, list[tuple[str, str, dict | None, int]]] = {}
        for who, action, form in crawl.forms.values():
            if not action.startswith("/accounts/logout/"):
                work.setdefault(who, []).extend(
                    ("form posts", action, form, rng.randrange(2**32)) for _ in range(rounds)
                )
        for who, target in crawl.links.values():
            work.setdefault(who, []).extend(
                ("query strings", target, None, rng.randrange(2**32)) for _ in range(rounds)
            )

        def fuzz(who: str) -> list[tuple[str, str, int]]:
            session, answers = crawl.sessions[who], []
            for kind, target, form, seed in work[who]:
                if form is None:
                    path, reply = fuzz_link(session, target, random.Random(seed))
                else:
                    path, reply = target, fuzz_form(session, target, form, random.Random(seed))
                answers.append((kind, path, reply.status))
            return answers

        with ThreadPoolExecutor(THREADS) as pool:
            for who, answers in zip(work, pool.map(fuzz, work), strict=True):
                for kind, path, status in answers:
                    probe.count(kind)
                    if status >= 500 or status == 0:
                        probe.hole(
                            f"{who or 'anonymous'}: {kind[:-1]} {path[:80]} answered {status}"
                        )
    return probe


def server_errors(log: Path) -> list[str]:
    """Every server error in gunicorn's log (the workers' output included): a traceback under a
    line logged at ERROR or above, once per path and exception. (A refusal's 4xx is logged as a
    warning, with its traceback.)"""
    found: dict[str, None] = {}
    level, path, in_traceback = "", "", False
    for line in log.read_text(errors="replace").splitlines() if log.exists() else []:
        header = re.match(
            r"(?:\S+ \S+ |\[[^]]+\] \[\d+\] \[)(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b", line
        )
        if header:
            level, in_traceback = header.group(1), False
            request = re.search(r"Internal Server Error: (\S+)", line)
            path = re.sub(r"\d+", "N", request.group(1)) if request else "(no request)"
        elif line.startswith("Traceback"):
            in_traceback = level in ("ERROR", "CRITICAL")
        elif in_traceback and line[:1].strip() and not line.startswith(("During", "The above")):
            found[f"the server's log: {path}: {line.strip()[:160]}"] = None
            in_traceback = False
    return list(found)


# --- 4. kill -9 ------------------------------------------------------------------------------

DIARY = {
    "activity": 3,
    "school": 2,
    "sleep_hours": 8,
    "sleep_quality": 3,
    "mood": 3,
    "home_program": 2,
    "coping": 1,
    "win": "Walked to class",
    "as": "parent",
}
STORED = """
import django, json, sys; django.setup()
from django.apps import apps
rows = apps.get_model("diary", "DiaryEntry").objects.filter(author__username=sys.argv[1])
keys = [str(k) for k in rows.values_list("idempotency_key", flat=True)]
earlier = [k for ks in rows.values_list("earlier_keys", flat=True) for k in ks]
print(json.dumps({"rows": len(keys), "entries": rows.values("patient", "day").distinct().count(),
                  "keys": keys, "earlier": earlier}))
"""


def processes() -> dict[int, tuple[int, str]]:
    """Every process: its parent and command line (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
                found[int(entry.name)] = (ppid, (entry / "cmdline").read_bytes().decode())
    return found


def gunicorn_workers() -> list[int]:
    table = processes()
    masters = {
        pid for pid, (ppid, cmd) in table.items() if ppid == os.getpid() and "gunicorn" in cmd
    }
    return sorted(pid for pid, (ppid, _) in table.items() if ppid in masters)


def kill_nine(base: str, deployment: Deployment) -> Probe:
    probe = Probe("kill -9")
    with timed(probe):
        guardian = "probe-kill-parent"
        session = persona_session(base, guardian)
        entries = [
            (c, day) for day in ("today", "yesterday") for c in deployment.seeded["kill_children"]
        ]
        keys = {entry: str(uuid.uuid4()) for entry in entries}
        outcomes: Counter = Counter()
        lock = threading.Lock()
        done = threading.Semaphore(0)
        finished = threading.Event()

        def post(part: list[tuple[int, str]]) -> None:
            mine = browser(base, session.cookies)
            for child, day in part:
                fields = {**DIARY, "day": day, "idempotency_key": keys[(child, day)]}
                body = form_body(mine, fields)
                for _ in range(150):  # 30 s: gunicorn starts new workers meanwhile
                    reply = call(mine, "POST", f"/patients/{child}/diary/", body)
                    if reply.status == 302:
                        saved = urllib.parse.parse_qs(urllib.parse.urlsplit(reply.location).query)
                        with lock:
                            outcomes[saved.get("saved", ["?"])[0]] += 1
                        break
                    with lock:
                        outcomes[f"answered {reply.status}, sent again"] += 1
                    time.sleep(0.2)
                else:
                    with lock:
                        outcomes["never saved"] += 1
                done.release()

        def killer() -> None:
            # Every worker at once, three times: whatever they were writing is cut off.
            for _ in range(3):
                for _ in range(len(entries) // 5):
                    done.acquire()
                if finished.is_set():
                    return
                workers = gunicorn_workers()
                if not workers:
                    probe.hole("no gunicorn worker found to kill")
                    return
                for pid in workers:
                    os.kill(pid, signal.SIGKILL)
                probe.count("workers killed", len(workers))

        posters = [threading.Thread(target=post, args=(entries[n::4],)) for n in range(4)]
        counting = threading.Thread(target=killer)
        for thread in [*posters, counting]:
            thread.start()
        for thread in posters:
            thread.join()
        finished.set()
        for _ in range(len(entries)):
            done.release()  # the killer stops waiting
        counting.join()
        back = time.monotonic() + 60  # the next probes want every worker back
        while len(gunicorn_workers()) < WORKERS and time.monotonic() < back:
            time.sleep(0.2)
        stored = run_json(STORED, deployment.env, guardian)
        probe.count("entries posted", len(entries))
        probe.count("stored", stored["rows"])
        cut = sum(n for what, n in outcomes.items() if what.startswith("answered"))
        probe.count("requests cut off and sent again", cut)
        sent = set(keys.values())
        if stored["rows"] != len(entries) or stored["entries"] != len(entries):
            probe.hole(
                f"{len(entries)} entries posted, {stored['rows']} rows for {stored['entries']} child-days"
            )
        if set(stored["keys"]) != sent or stored["earlier"]:
            probe.hole(f"stored keys differ from those sent (earlier keys: {stored['earlier']})")
        if (
            set(outcomes)
            - {"created", "already"}
            - {w for w in outcomes if w.startswith("answered")}
        ):
            probe.hole(f"answers: {dict(outcomes)}")
        probe.notes.append(f"answers: {dict(outcomes)}")
    return probe


# --- 5. tamper -------------------------------------------------------------------------------

SEALED = """
import django, json; django.setup()
from django.apps import apps
from django.core.management import call_command
call_command("audit", "seal", verbosity=0)
call_command("audit", "checkpoint", verbosity=0)
events = apps.get_model("audit", "AuditEvent").objects.exclude(chain_seq=None)
print(json.dumps({"head": events.order_by("-chain_seq").values_list("chain_seq", flat=True)[0]}))
"""
TAIL = 5  # the newest events cut off
# What the app role must not do to the audit log (docs/deployment.md; the reason it is refused).
APP_ROLE_REFUSED = {
    "DELETE FROM audit_auditevent": "permission denied",
    "TRUNCATE audit_auditevent": "permission denied",
    "UPDATE audit_auditevent SET detail = 'forged'": "permission denied",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL": "must be owner",
    "DROP TRIGGER audit_event_no_change ON audit_auditevent": "must be owner",
    "SET session_replication_role = replica": "permission denied",
    "DELETE FROM audit_auditcheckpoint": "permission denied",
    "TRUNCATE audit_auditcheckpoint": "permission denied",
}


EVENT_COLUMNS = (
    "id, at, clinic_id, actor_id, actor_username, actor_kind, action, object_type, object_id, "
    "patient_id, ip_address, detail, chain_seq, chain_hash"
)


def tamperings(head: int) -> list[tuple[str, str, str, str, str]]:
    """What is done to a copy: on SQLite (tried against the triggers, then past them), on
    PostgreSQL (tried as the app role, then done as the superuser), and the first problem
    `backto audit verify` must name."""
    middle, kept = head // 2, head - TAIL
    delete = f"DELETE FROM audit_auditevent WHERE chain_seq = {middle}"
    cut = f"DELETE FROM audit_auditevent WHERE chain_seq > {kept}"
    forged = EVENT_COLUMNS.replace("detail", "'forged'")
    replace = (  # the row put back, its content changed and its seal kept
        f"INSERT OR REPLACE INTO audit_auditevent ({EVENT_COLUMNS}) "
        f"SELECT {forged} FROM audit_auditevent WHERE chain_seq = {middle}"
    )
    upsert = (  # PostgreSQL's INSERT OR REPLACE
        "INSERT INTO audit_auditevent (id, at, actor_username, actor_kind, action, object_type, "
        "object_id, detail) SELECT id, at, '', '', 'view', '', '', '' FROM audit_auditevent "
        f"WHERE chain_seq = {middle} ON CONFLICT (id) DO UPDATE SET detail = 'forged'"
    )
    rewrite = f"UPDATE audit_auditevent SET detail = 'forged' WHERE chain_seq = {middle}"
    return [
        ("untouched", "", "", "", ""),
        ("one event deleted", delete, delete, delete, f"seq {middle}: missing, deleted"),
        ("one event rewritten", replace, upsert, rewrite, f"seq {middle} (event "),
        ("the newest events cut off", cut, cut, cut, f"seq {kept + 1} to {head}: missing"),
    ]


def sqlite_copy(deployment: Deployment, copy: Path, statement: str, probe: Probe) -> None:
    """A copy of the database file; the statement is refused while the triggers stand, and
    whoever holds the file drops them."""
    with (
        contextlib.closing(sqlite3.connect(deployment.var / "backto.sqlite3")) as source,
        contextlib.closing(sqlite3.connect(copy / "backto.sqlite3")) as db,
    ):
        source.backup(db)
        if not statement:
            return
        try:
            db.execute(statement)
            db.commit()
            probe.hole(f"SQLite's triggers let {statement[:60]!r} through")
        except sqlite3.DatabaseError:
            db.rollback()
            probe.count("tamperings refused first")
        triggers = (
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'"
        )
        for (name,) in db.execute(triggers).fetchall():
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute(statement)
        db.commit()


def pg_copy(deployment: Deployment, database: str, tried: str, done: str, probe: Probe) -> None:
    """A copy of the database; the app role's try is refused, the superuser gets past the
    triggers."""
    import psycopg

    url = deployment.superuser_url
    pg_execute(url, f"CREATE DATABASE {database} TEMPLATE backto_probe")
    if not tried:
        return
    with psycopg.connect(with_user(url, "backto", database)) as app:
        try:
            app.execute(tried)
            probe.hole(f"the app role ran {tried[:60]!r}")
        except psycopg.Error:
            probe.count("tamperings refused first")
    with psycopg.connect(with_user(url, "postgres", database)) as superuser:
        superuser.execute("SET session_replication_role = replica")
        superuser.execute(done)


def app_role_refusals(deployment: Deployment, probe: Probe) -> None:
    import psycopg

    url = with_user(deployment.superuser_url, "backto", "backto_probe")
    for statement, reason in APP_ROLE_REFUSED.items():
        with psycopg.connect(url) as app:
            try:
                app.execute(statement)
                probe.hole(f"the app role ran {statement!r}")
            except psycopg.Error as error:
                if reason in str(error):
                    probe.count("app-role statements refused")
                else:
                    probe.hole(f"{statement!r} failed, not for want of privilege: {error}")


def tamper(deployment: Deployment) -> Probe:
    probe = Probe("tamper")
    with timed(probe):
        head = run_json(SEALED, deployment.env)["head"]
        if deployment.database == "PostgreSQL":
            app_role_refusals(deployment, probe)
        for n, (case, on_sqlite, tried, done, first) in enumerate(tamperings(head)):
            copy = deployment.var / f"copy-{n}"
            copy.mkdir()
            shutil.copy(deployment.var / "audit-checkpoints.jsonl", copy)
            if deployment.database == "PostgreSQL":
                pg_copy(deployment, f"backto_copy_{n}", tried, done, probe)
                env = app_env(
                    copy, with_user(deployment.superuser_url, "backto", f"backto_copy_{n}")
                )
            else:
                sqlite_copy(deployment, copy, on_sqlite, probe)
                env = app_env(copy)
            verified = subprocess.run(
                [str(VENV_BIN / "backto"), "audit", "verify"],
                env=env,
                capture_output=True,
                text=True,
            )
            problems = [line for line in verified.stdout.splitlines() if line.startswith("PROBLEM")]
            if not first and verified.returncode == 0:
                probe.count("untouched copies verified")
            elif not first:
                probe.hole(f"{case}: verify failed: {problems[:1] or verified.stderr[-200:]}")
            elif verified.returncode == 0:
                probe.hole(f"{case}: `backto audit verify` passed")
            elif not problems or not problems[0].startswith(f"PROBLEM {first}"):
                probe.hole(f"{case}: verify's first problem is {problems[:1]}, not {first!r}")
            else:
                probe.count("tamperings named by verify")
        probe.notes.append(f"{head:,} sealed events in the chain; {TAIL} cut off the end")
    return probe


# --- running them ----------------------------------------------------------------------------


def report(probe: Probe) -> Probe:
    print(probe.line(), flush=True)
    for note in probe.notes:
        print(f"    {note}")
    for hole in probe.holes[:15]:
        print(f"    HOLE {hole}")
    if len(probe.holes) > 15:
        print(f"    ... and {len(probe.holes) - 15} more")
    return probe


def run(database: str, patients: int, sample: int, rounds: int) -> tuple[list[Probe], float]:
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        deployment = deploy(stack, database, patients)
        print(
            f"== {database}: the demo clinic ({patients} children followed) and a second clinic set up "
            f"in {deployment.setup_seconds:.1f} s",
            flush=True,
        )
        private = deployment.seeded["private_patient"]
        crawl = Crawl()
        with gunicorn(deployment.env, workers=WORKERS) as base:
            probes = [report(privacy(base, deployment, crawl, sample))]
            probes.append(report(lockout(base)))
            probes.append(report(kill_nine(base, deployment)))
            crashes = (
                crash(base, crawl, crawl.cat, private, rounds) if crawl.cat else Probe("crash")
            )
        # Whatever any probe made the server raise, its log has it (read once gunicorn stopped).
        crashes.holes.extend(server_errors(deployment.var / "server.log"))
        probes.append(report(crashes))
        probes.append(report(tamper(deployment)))
    seconds = time.perf_counter() - started
    print(f"== {database}: {seconds:.1f} s in all", flush=True)
    return probes, seconds


def markdown(runs: dict[str, tuple[list[Probe], float]], args: argparse.Namespace) -> str:
    databases = list(runs)
    lines = [
        HEADING,
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} CPUs (load average "
        f"{args.load:.1f} at the start), Python {sys.version.split()[0]}, with "
        f"`bench/security_probes.py --database {args.database} --results bench/RESULTS.md`: the "
        f"demo clinic, {args.patients} of its children followed ({args.sample} record of each "
        f"kind per child), a second clinic, gunicorn {WORKERS} workers on 127.0.0.1. `scripts/test` runs "
        "it on SQLite; `make bench` does not run it.",
        "",
        "| probe | what | " + " | ".join(databases) + " |",
        "|---|---|" + "---:|" * len(databases),
    ]
    for n, probe in enumerate(runs[databases[0]][0]):
        same_probe = [runs[d][0][n] for d in databases]
        keys = list(dict.fromkeys(k for p in same_probe for k in p.counts))
        for key in keys:
            figures = " | ".join(f"{p.counts.get(key, 0):,}" for p in same_probe)
            lines.append(f"| {probe.name} | {key} | {figures} |")
        verdicts = " | ".join(
            f"{f'**{len(p.holes)}**' if p.holes else 'none'}, {p.seconds:.0f} s" for p in same_probe
        )
        lines.append(f"| {probe.name} | holes found; seconds | {verdicts} |")
    lines.append(
        "| all | set-up included | " + " | ".join(f"{runs[d][1]:.0f} s" for d in databases) + " |"
    )
    holes: dict[tuple[str, str], list[str]] = {}
    for database in databases:
        for probe in runs[database][0]:
            for hole in probe.holes:
                holes.setdefault((probe.name, hole), []).append(database)
    if holes:
        lines += ["", "Holes found in this run:", ""]
        lines += [f"- {name} ({', '.join(d)}): {hole}" for (name, hole), d in holes.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--patients", type=int, default=6, help="demo children crawled")
    parser.add_argument("--sample", type=int, default=1, help="records of each kind per child")
    parser.add_argument("--rounds", type=int, default=3, help="hostile posts of each form")
    parser.add_argument("--results", type=Path, help="write the figures into this RESULTS.md")
    args = parser.parse_args()
    if args.patients < 2:
        parser.error("--patients: at least 2 (the lockout probe signs in as demo-parent-1 and -2)")
    args.load = os.getloadavg()[0]
    databases = {"sqlite": ["SQLite"], "postgres": ["PostgreSQL"]}.get(
        args.database, ["SQLite", "PostgreSQL"]
    )
    runs = {
        database: run(database, args.patients, args.sample, args.rounds) for database in databases
    }
    holes = sum(len(p.holes) for probes, _ in runs.values() for p in probes)
    print(f"{holes} holes found" if holes else "No holes found.")
    if args.results:
        write_section(args.results, markdown(runs, args))
    sys.exit(1 if holes else 0)


if __name__ == "__main__":
    main()
