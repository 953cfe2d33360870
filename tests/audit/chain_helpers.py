"""Writing events, and tampering with the log the ways an attacker with the database could."""

import io
from typing import Any

from django.core.management import CommandError, call_command
from django.db import connection

from backto.audit.models import AuditEvent


def write_events(count: int, **fields: Any) -> list[AuditEvent]:
    return [
        AuditEvent.objects.create(
            action="view",
            actor_id=7,
            actor_username="pat",
            actor_kind="staff",
            clinic_id=1,
            object_type="patient",
            object_id=str(n),
            patient_id=n,
            ip_address="10.1.2.3",
            detail=f"event {n}",
            **fields,
        )
        for n in range(count)
    ]


def verify_output(*args: str) -> tuple[bool, str]:
    """`backto audit verify`: whether it passed, and what it printed (the error included)."""
    out = io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return False, out.getvalue() + f"CommandError: {error}\n"
    return True, out.getvalue()


def problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("PROBLEM ")]


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def get_past_the_triggers(how: str = "disable") -> None:
    """What the table's owner (on SQLite: anyone with the file) can do to get past the triggers:
    drop them (SQLite), disable them or set session_replication_role (PostgreSQL). The test's
    transaction puts them back."""
    if connection.vendor == "sqlite":
        for name in ("audit_event_no_update", "audit_event_no_delete", "audit_event_no_replace"):
            raw(f"DROP TRIGGER {name}")
        for name in ("audit_checkpoint_no_update", "audit_checkpoint_no_delete"):
            raw(f"DROP TRIGGER {name}")
    elif how == "replication_role":
        raw("SET LOCAL session_replication_role = replica")
    else:
        raw("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
        raw("ALTER TABLE audit_auditcheckpoint DISABLE TRIGGER audit_checkpoint_no_change")
