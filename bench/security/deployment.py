"""The throwaway clinic the probes attack (the demo clinic, a second clinic, the accounts the
probes sign in as) and the oracle: what there is to ask for and who may see it, read from the
database by the app's own models, never by the probes' HTTP."""

from __future__ import annotations

import contextlib
import json
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from bench.bench_pages import run_json
from bench.servers import PROJECT, backto, bench_env, postgres

PASSWORD = "probe-password-1"
ACCOUNT_LIMIT = 5  # BACKTO_LOGIN_FAILURE_LIMIT, the default
ADDRESS_LIMIT = 12  # BACKTO_LOGIN_FAILURE_LIMIT_PER_ADDRESS (30 by default: fewer Argon2 hashes)
WORKERS = 3
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
