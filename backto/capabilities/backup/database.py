"""What backup and restore know about a database, whatever its vendor: its tables with their row
counts and its applied migrations; what an empty database is; which backups this code can read.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

# The rows `backto migrate` writes by itself: a database holding only these is "freshly
# migrated", and a restore may replace it.
BOOKKEEPING = frozenset({"django_migrations", "django_content_type", "auth_permission"})
TABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass(frozen=True)
class DatabaseState:
    counts: dict[str, int]  # every table, by name: its rows
    migrations: dict[str, list[str]]  # every app: its applied migrations, in order applied


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def state_from(counts: dict[str, int], migration_rows: Iterable[tuple[str, str]]) -> DatabaseState:
    migrations: dict[str, list[str]] = {}
    for app, name in migration_rows:
        migrations.setdefault(app, []).append(name)
    return DatabaseState(dict(sorted(counts.items())), dict(sorted(migrations.items())))


def refuse_atomic(connection: BaseDatabaseWrapper) -> None:
    if connection.in_atomic_block:
        raise CommandError(
            "Backup and restore run outside a transaction (they take their own snapshot)."
        )


def refuse_nonempty(connection: BaseDatabaseWrapper) -> list[str]:
    """The target's tables, after refusing a database with any row a restore would lose.

    Empty means no tables at all, or freshly migrated: no rows anywhere but the bookkeeping
    tables `backto migrate` fills itself. Either is replaced whole by the restore."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            if table in BOOKKEEPING:
                continue
            cursor.execute(f"SELECT 1 FROM {quote_identifier(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                raise CommandError(
                    f"The database {connection.settings_dict['NAME']} is not empty: the table "
                    f"{table} has rows. A restore goes into an empty database (a new one, or "
                    "one that `backto migrate` has just made), so that it never mixes two "
                    "clinics' records; create a new database and point BACKTO_DATABASE_URL at it."
                )
    return tables


def refuse_vendor(connection: BaseDatabaseWrapper, manifest: dict[str, Any]) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise CommandError(
            f"This is a {vendor} backup and the database is {connection.vendor}. A backup is "
            f"restored into the same kind of database: restore it into {vendor}, then move the "
            "data over with a tested migration of your own. (Copying rows between SQLite and "
            "PostgreSQL loses types, sequences and the audit log's triggers; BackTo does not "
            "do it for you.)"
        )


def refuse_bad_table_names(manifest: dict[str, Any]) -> None:
    odd = [name for name in manifest["tables"] if not TABLE_NAME.match(name)]
    if odd:
        raise CommandError(f"The manifest names tables BackTo never makes: {', '.join(odd)}.")


def refuse_newer_migrations(manifest: dict[str, Any]) -> None:
    """A backup whose database has migrations this code does not know came from a newer BackTo:
    the app would not understand its tables."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        if app in loader.migrated_apps
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise CommandError(
            f"This backup was made by a newer BackTo ({manifest['backto_version']}): its "
            f"database has migrations this version does not know ({', '.join(unknown[:5])}). "
            "Install that version or a later one, then restore."
        )


def pending_migrations(connection: BaseDatabaseWrapper) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
