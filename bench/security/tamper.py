"""Probe 5, tamper: copies of the sealed audit log with events deleted, rewritten or cut off are
first refused (SQLite's triggers, PostgreSQL's app role), then caught by `backto audit verify`."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

from bench.security.client import Probe, timed
from bench.security.deployment import Deployment, app_env, pg_execute, run_json, with_user
from bench.servers import VENV_BIN

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

    for statement, reason in APP_ROLE_REFUSED.items():
        with psycopg.connect(deployment.app_url) as app:
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
