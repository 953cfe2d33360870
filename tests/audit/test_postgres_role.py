"""The deployment in docs/deployment.md ("The audit log: a database role that cannot rewrite
it"): the statements written there, run for a new role, give an app that works and cannot
rewrite the audit log. PostgreSQL only; the role exists inside the test's transaction."""

import re
import uuid
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from backto.audit.chain import checkpoint, seal
from backto.audit.log import audit
from backto.audit.models import Action, AuditEvent
from backto.audit.verify import verify
from tests.audit.chain_helpers import raw

DEPLOYMENT = Path(__file__).parents[2] / "docs" / "deployment.md"
HEADING = "### The audit log: a database role that cannot rewrite it"


def documented_grants(role: str) -> list[str]:
    """The ```sql block of the deployment guide's section, for `role` instead of `backto`."""
    text = DEPLOYMENT.read_text()
    section = text[text.index(HEADING) :]
    block = section[section.index("```sql\n") + len("```sql\n") :]
    block = block[: block.index("```")]
    sql = re.sub(r"\b(TO|FROM) backto\b", rf"\1 {role}", block)
    statements = [
        " ".join(line for line in part.splitlines() if not line.strip().startswith("--"))
        for part in sql.split(";")
    ]
    return [s.strip() for s in statements if s.strip()]


DENIED = "permission denied for table"
NOT_OWNER = "must be owner of"
FORBIDDEN = {  # what the finding said the app's role could do, and why it no longer can
    "change an event's content": ("UPDATE audit_auditevent SET detail = 'forged'", DENIED),
    "change a seal": (
        "UPDATE audit_auditevent SET chain_hash = repeat('0', 64)",
        "audit events are append-only",  # the column may be written, once, by the sealer
    ),
    "delete an event": ("DELETE FROM audit_auditevent", DENIED),
    "truncate the log": ("TRUNCATE audit_auditevent", DENIED),
    "disable the trigger": (
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change",
        NOT_OWNER,
    ),
    "drop the trigger": ("DROP TRIGGER audit_event_no_change ON audit_auditevent", NOT_OWNER),
    "turn triggers off": (
        "SET session_replication_role = replica",
        'permission denied to set parameter "session_replication_role"',
    ),
    "change a checkpoint": ("UPDATE audit_auditcheckpoint SET chain_seq = 0", DENIED),
    "delete a checkpoint": ("DELETE FROM audit_auditcheckpoint", DENIED),
    "truncate the checkpoints": ("TRUNCATE audit_auditcheckpoint", DENIED),
}


@pytest.mark.django_db
def test_the_app_role_works_and_cannot_rewrite_the_audit_log(as_user, pat, maya, episode):
    if connection.vendor != "postgresql":
        pytest.skip("database roles and privileges are PostgreSQL's")
    role = f"backto_app_{uuid.uuid4().hex[:12]}"
    raw(f"CREATE ROLE {role} NOLOGIN")
    statements = documented_grants(role)
    assert any("GRANT UPDATE (chain_seq, chain_hash)" in s for s in statements)
    for statement in statements:
        raw(statement)
    client = as_user(pat)
    raw(f"SET LOCAL ROLE {role}")
    try:
        # The app works: a page read and its audit event, sealing, a checkpoint, verifying.
        assert client.get(reverse("patient_overview", args=[maya.pk])).status_code == 200
        audit(by=pat, action=Action.VIEW, obj=maya, patient_id=maya.pk)
        assert seal() >= 2
        assert checkpoint() is not None
        assert AuditEvent.objects.filter(chain_seq__isnull=True).count() == 0
        for sql, reason in FORBIDDEN.values():
            with pytest.raises(DatabaseError, match=reason), transaction.atomic():
                raw(sql)
        report = verify(checkpoint_file=None)
        assert report.ok, report.problems
    finally:
        raw("RESET ROLE")
