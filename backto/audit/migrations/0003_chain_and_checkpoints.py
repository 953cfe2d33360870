"""The audit log's hash chain (docs/adr/0004-audit-hash-chain.md): each event's place in the chain
and its hash, set once by the sealer; the chain's daily checkpoints; and triggers that allow
sealing and nothing else.

Both new columns are nullable and the unique index on the sequence is partial, so on SQLite no
table is rebuilt (a rebuild would also drop the triggers). Events written before this migration
are sealed by the first run of the sealer, oldest first.
"""

from django.db import migrations, models

# The content of an event: every column but the seal. The SQLite trigger names them (a test
# checks that it names every field); PostgreSQL compares whole rows without the seal.
CONTENT = (
    "id",
    "at",
    "clinic_id",
    "actor_id",
    "actor_username",
    "actor_kind",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "ip_address",
    "detail",
)
_CONTENT_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)

SQLITE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    # The one update allowed: sealing an unsealed event, its content unchanged.
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       WHEN OLD.chain_seq IS NOT NULL OR NEW.chain_seq IS NULL OR NEW.chain_hash IS NULL
         OR {_CONTENT_CHANGED}
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    # INSERT OR REPLACE deletes the row it replaces without firing delete triggers: refuse an
    # insert that names an existing id, or that arrives already sealed.
    """CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_auditevent
       WHEN NEW.chain_seq IS NOT NULL
         OR EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    # Sealed events stay; the test runner's flush still empties a table of unsealed ones.
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN OLD.chain_seq IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_auditcheckpoint
       BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;""",
    """CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_auditcheckpoint
       BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete;",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
    "DROP TRIGGER IF EXISTS audit_event_no_replace;",
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
POSTGRES = [
    # The one update allowed: sealing an unsealed event, everything else in the row unchanged.
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND OLD.chain_seq IS NULL AND NEW.chain_seq IS NOT NULL
            AND NEW.chain_hash IS NOT NULL
            AND to_jsonb(NEW) - 'chain_seq' - 'chain_hash'
                = to_jsonb(OLD) - 'chain_seq' - 'chain_hash' THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit events are append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION audit_checkpoint_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit checkpoints are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_checkpoint_no_change BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
       FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_change ON audit_auditcheckpoint;",
    "DROP FUNCTION IF EXISTS audit_checkpoint_append_only();",
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField()),
                ("chain_seq", models.BigIntegerField()),
                ("chain_hash", models.CharField(max_length=64)),
            ],
            options={
                "ordering": ["-at", "-id"],
                "base_manager_name": "objects",
            },
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"base_manager_name": "objects", "ordering": ["-at", "-id"]},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_seq",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("chain_seq__isnull", True)),
                fields=["id"],
                name="audit_unsealed",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("chain_seq__isnull", False)),
                fields=("chain_seq",),
                name="audit_chain_seq_unique",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
