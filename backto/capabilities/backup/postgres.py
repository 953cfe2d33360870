"""PostgreSQL: pg_dump in its custom format, and a restore through psql in one transaction.

The backup opens a repeatable-read transaction, counts every table's rows in it and hands its
snapshot to pg_dump (`--snapshot`): the dump and the manifest's counts are the same moment, and
the app goes on writing meanwhile.

The restore pipes pg_restore's SQL into psql inside one transaction this module opens and closes:
it locks and re-checks an empty target and drops what `backto migrate` made there, replays the
dump, compares every table's rows with the manifest, and sends COMMIT only when all of that
worked. Anything else (an error, a crash, Ctrl-C) ends the session without COMMIT, and PostgreSQL
rolls everything back: the database is restored whole, or left as it was.

The password travels in PGPASSWORD, never on a command line that `ps` shows.
"""

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient

from backto.capabilities.backup.archive import CHUNK, Progress
from backto.capabilities.backup.database import BOOKKEEPING, quote_identifier, state_from

DATABASE_FILE = "database.pgdump"
DEBIAN_ROOT = Path("/usr/lib/postgresql")


def tool_major(executable: str) -> int | None:
    """The major version a PostgreSQL client program says it is."""
    result = subprocess.run([executable, "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(found.group(1)) if found else None


def find_tool(name: str, at_least: int, *, root: Path = DEBIAN_ROOT) -> str:
    """The newest `name` Debian installed (/usr/lib/postgresql/<major>/bin), else the one on
    PATH; either must be at least the server's major version (an older pg_dump refuses a newer
    server, an older pg_restore a newer dump)."""
    installed = sorted(
        (int(bindir.parent.name), bindir / name)
        for bindir in root.glob("*/bin")
        if bindir.parent.name.isdigit() and (bindir / name).is_file()
    )
    if installed and installed[-1][0] >= at_least:
        return str(installed[-1][1])
    on_path = shutil.which(name)
    if on_path and (tool_major(on_path) or 0) >= at_least:
        return on_path
    found = [str(path) for _major, path in installed] + ([on_path] if on_path else [])
    raise CommandError(
        f"BackTo needs {name} from PostgreSQL {at_least} or newer (found: "
        f"{', '.join(found) or 'none'}). On Debian or Ubuntu: apt install "
        f"postgresql-client-{at_least}."
    )


def libpq_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment that points libpq programs at the database: host, port, user, database,
    password and TLS settings, as Django's own `dbshell` passes them."""
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(extra or {}), "PGAPPNAME": "backto backup"}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("NAME"):
        env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def _server_major(connection: BaseDatabaseWrapper) -> int:
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def _error_lines(log: IO[bytes], program: str) -> str:
    log.seek(0)
    lines = log.read().decode(errors="replace").splitlines()
    wanted = [line for line in lines if re.search(r"error|fatal|detail|hint", line, re.I)]
    return "\n".join((wanted or lines)[-8:]) or f"{program} failed without saying why"


def snapshot(connection: BaseDatabaseWrapper, destination: Path, progress: Progress) -> dict:
    """pg_dump the database to `destination`; the counts and migrations come from the snapshot
    pg_dump reads."""
    pg_dump = find_tool("pg_dump", _server_major(connection))
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
            tables = sorted(connection.introspection.table_names(cursor))
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT count(*) FROM {quote_identifier(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            rows: list[tuple[str, str]] = []
            if "django_migrations" in counts:
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
                rows = cursor.fetchall()
            cursor.execute("SHOW server_version")
            (server_version,) = cursor.fetchone()
            _run_pg_dump(pg_dump, snapshot_id, destination, connection, len(tables), progress)
        finally:
            cursor.execute("ROLLBACK")
    return {
        "state": state_from(counts, rows),
        "database": {
            "vendor": "postgresql",
            "file": DATABASE_FILE,
            "format": "pg_dump custom",
            "server": server_version,
            "pg_dump": tool_major(pg_dump),
        },
    }


def _run_pg_dump(
    pg_dump: str,
    snapshot_id: str,
    destination: Path,
    connection: BaseDatabaseWrapper,
    tables: int,
    progress: Progress,
) -> None:
    command = [
        pg_dump,
        "--format=custom",
        "--no-password",
        f"--snapshot={snapshot_id}",
        "--verbose",  # a line per table: the progress bar
        f"--file={destination}",
    ]
    with tempfile.TemporaryFile() as log, progress("Database", tables, "table") as bar:
        with subprocess.Popen(
            command,
            env=libpq_env(connection.settings_dict),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        ) as process:
            assert process.stderr is not None
            for line in process.stderr:
                if b"dumping contents of table" in line:
                    bar.update(1)
                else:
                    log.write(line)
        if process.returncode != 0:
            raise CommandError(f"pg_dump failed:\n{_error_lines(log, 'pg_dump')}")


def check_copy(path: Path, manifest: dict) -> None:
    """Before anything is touched: pg_restore can read the dump's table of contents."""
    at_least = max(int(manifest["database"].get("pg_dump") or 0), 9)
    pg_restore = find_tool("pg_restore", at_least)
    result = subprocess.run([pg_restore, "--list", str(path)], capture_output=True, check=False)
    if result.returncode != 0:
        raise CommandError(
            f"{DATABASE_FILE} is not a dump pg_restore can read: "
            f"{result.stderr.decode(errors='replace').strip()}"
        )


def _wipe_sql(connection: BaseDatabaseWrapper, tables: list[str]) -> str:
    """Inside the restore's transaction: lock what `backto migrate` made, check once more that
    it holds no rows, and drop it (tables, views, sequences, functions), so that the dump
    recreates every object exactly as it was."""
    if not tables:
        return ""
    names = ", ".join(quote_identifier(t) for t in tables)
    sql = [f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE;"]
    with_rows = [
        f"EXISTS (SELECT 1 FROM {quote_identifier(t)})"  # noqa: S608 (quoted identifiers)
        for t in tables
        if t not in BOOKKEEPING
    ]
    if with_rows:
        sql.append(
            f"DO $backto$ BEGIN IF {' OR '.join(with_rows)} THEN RAISE EXCEPTION "
            "'backto restore: the database is no longer empty'; END IF; END $backto$;"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oid::regclass::text, relkind FROM pg_class "
            "WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('v', 'm', 'S')"
        )
        relations = cursor.fetchall()
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "WHERE p.pronamespace = current_schema()::regnamespace AND NOT EXISTS ("
            "SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        )
        functions = [row[0] for row in cursor.fetchall()]
    views = [
        f"DROP {'MATERIALIZED VIEW' if kind == 'm' else 'VIEW'} IF EXISTS {name} CASCADE;"
        for name, kind in relations
        if kind in ("v", "m")
    ]
    sequences = [name for name, kind in relations if kind == "S"]
    sql += views
    sql.append(f"DROP TABLE {names} CASCADE;")
    sql += [f"DROP SEQUENCE IF EXISTS {sequence} CASCADE;" for sequence in sequences]
    sql += [f"DROP FUNCTION IF EXISTS {function} CASCADE;" for function in functions]
    return "\n".join(sql) + "\n"


def _check_counts_sql(manifest: dict) -> str:
    """Inside the restore's transaction, before COMMIT: every table holds the rows the manifest
    counts, or the whole restore rolls back. (Table names were checked to be plain words.)"""
    lines = ["DO $backto$ DECLARE n bigint; BEGIN"]
    for table, rows in manifest["tables"].items():
        lines.append(
            f"  SELECT count(*) INTO n FROM {quote_identifier(table)}; "  # noqa: S608
            f"IF n <> {int(rows)} THEN RAISE EXCEPTION "
            f"'backto restore: table % holds % rows, the backup counted %', "
            f"'{table}', n, {int(rows)}; END IF;"
        )
    lines.append("END $backto$;")
    return "\n".join(lines) + "\n"


def restore(
    connection: BaseDatabaseWrapper, path: Path, manifest: dict, progress: Progress
) -> None:
    """Replay the dump into the (empty) target in one transaction; see the module's docstring."""
    at_least = max(_server_major(connection), int(manifest["database"].get("pg_dump") or 0))
    pg_restore = find_tool("pg_restore", at_least)
    sibling = Path(pg_restore).with_name("psql")  # the psql that reads this pg_restore's SQL
    psql = str(sibling) if sibling.is_file() else find_tool("psql", at_least)
    tables = connection.introspection.table_names()
    prelude = (
        "SET client_min_messages = warning;\nBEGIN;\n" + _wipe_sql(connection, tables)
    ).encode()
    epilogue = ("RESET search_path;\n" + _check_counts_sql(manifest) + "COMMIT;\n").encode()
    env = libpq_env(connection.settings_dict)
    sent_commit = False
    with (
        tempfile.TemporaryFile() as psql_log,
        tempfile.TemporaryFile() as restore_log,
        subprocess.Popen(
            [psql, "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "-f", "-"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_log,
        ) as writer,
        subprocess.Popen(
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(path)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=restore_log,
        ) as reader,
    ):
        assert writer.stdin is not None and reader.stdout is not None
        try:
            writer.stdin.write(prelude)
            with progress("Database", len(manifest["tables"]), "table") as bar:
                tail = b""
                while chunk := reader.stdout.read(CHUNK):
                    writer.stdin.write(chunk)
                    bar.update((tail + chunk).count(b"\nCOPY "))
                    tail = chunk[-5:]
            if reader.wait() == 0:
                writer.stdin.write(epilogue)
                sent_commit = True
            writer.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error: no COMMIT was sent, PostgreSQL rolled back
        finally:
            if reader.poll() is None:
                reader.kill()
            if not writer.stdin.closed:
                with contextlib.suppress(BrokenPipeError):
                    writer.stdin.close()
            writer.wait()
        if reader.returncode != 0:
            raise CommandError(
                f"pg_restore could not read the dump; nothing was restored:\n"
                f"{_error_lines(restore_log, 'pg_restore')}"
            )
        if not sent_commit or writer.returncode != 0:
            raise CommandError(
                f"The restore failed and was rolled back; the database is as it was:\n"
                f"{_error_lines(psql_log, 'psql')}"
            )
