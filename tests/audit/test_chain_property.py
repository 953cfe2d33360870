"""Property: any single change to one row of a sealed, checkpointed chain is found by verify,
whatever the row, the column and the new value."""

import ipaddress
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backto.audit.chain import checkpoint, seal
from backto.audit.models import AuditEvent
from backto.audit.verify import verify
from tests.audit.chain_helpers import get_past_the_triggers, raw

pytestmark = pytest.mark.django_db

texts = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=20)
ids = st.one_of(st.none(), st.integers(min_value=1, max_value=2**40))
NEW_VALUES: dict[str, Any] = {
    "at": st.integers(min_value=-(10**9), max_value=10**9).filter(bool),  # microseconds moved
    "clinic_id": ids,
    "actor_id": ids,
    "actor_username": texts,
    "actor_kind": texts,
    "action": texts,
    "object_type": texts,
    "object_id": texts,
    "patient_id": ids,
    "ip_address": st.one_of(st.none(), st.ip_addresses().map(str)),
    "detail": texts,
    "chain_hash": st.one_of(st.none(), st.text("0123456789abcdef", min_size=64, max_size=64)),
}
# Column names come from the keys above, never from the generated data.
UPDATE = {
    column: f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s"  # noqa: S608
    for column in [*NEW_VALUES, "id", "chain_seq"]
}


@pytest.fixture
def sealed_chain(db: Any) -> list[dict[str, Any]]:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=action,
            actor_id=n or None,
            actor_username=name,
            clinic_id=1,
            object_type="patient",
            object_id=str(n),
            patient_id=n if n % 2 else None,
            ip_address=address,
            detail=detail,
        )
        for n, (action, name, address, detail) in enumerate(
            [
                ("login", "pat", "10.0.0.1", ""),
                ("view", "pat", "2001:db8::1", "page"),
                ("login_failed", "nobody", None, ""),
                ("create", "gina", "192.0.2.44", "diary 2026-06-16"),
                ("export", "cora", "::ffff:10.1.2.3", "Señal ✓"),
                ("view", "", None, ""),
            ]
        )
    )
    seal()
    checkpoint()
    return list(AuditEvent.objects.order_by("chain_seq").values())


def same_address(old: str | None, new: str | None) -> bool:
    if old is None or new is None:
        return old is new
    return ipaddress.ip_address(old) == ipaddress.ip_address(new)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # each example rolls back
)
@given(data=st.data())
def test_any_single_row_change_to_a_sealed_chain_is_detected(sealed_chain, data):
    row = data.draw(st.sampled_from(sealed_chain), label="row")
    change = data.draw(st.sampled_from(["delete", "id", "chain_seq", *NEW_VALUES]), label="change")
    free = max(r["id"] for r in sealed_chain) + data.draw(st.integers(1, 1000), label="free id")
    if change == "delete":
        sql, params = "DELETE FROM audit_auditevent WHERE id = %s", [row["id"]]
    elif change == "id":
        sql, params = UPDATE["id"], [free, row["id"]]
    elif change == "chain_seq":
        seq = data.draw(st.one_of(st.none(), st.integers(len(sealed_chain) + 1, 10**6)))
        sql, params = UPDATE["chain_seq"], [seq, row["id"]]
    else:
        value = data.draw(NEW_VALUES[change], label="value")
        if change == "at":
            value = connection.ops.adapt_datetimefield_value(
                row["at"] + timedelta(microseconds=value)
            )
        elif change == "ip_address" and same_address(row["ip_address"], value):
            value = None if row["ip_address"] else "198.51.100.200"
        elif value == row[change]:
            return  # no change at all
        sql, params = UPDATE[change], [value, row["id"]]
    with transaction.atomic():
        get_past_the_triggers()
        raw(sql, params)
        report = verify(checkpoint_file=None)
        transaction.set_rollback(True)
    assert not report.ok, (change, row)
