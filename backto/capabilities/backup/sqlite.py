"""SQLite: a snapshot through the online backup API, and a restore through the same API.

The copy runs inside a read transaction on the app's own connection, so every step copies the
same snapshot while the app goes on writing (WAL lets writers carry on); without it, each write
from another connection would restart the copy. The restore copies the backup over the target in
one write transaction: the target is either the backup, page for page, or untouched.
"""

import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from django.core.management.base import CommandError
from django.db.backends.base.base import BaseDatabaseWrapper

from backto.capabilities.backup.archive import Progress
from backto.capabilities.backup.database import DatabaseState, quote_identifier, state_from

DATABASE_FILE = "database.sqlite3"
PAGES_PER_STEP = 2048  # 8 MB with 4 kB pages: a step is short, the progress bar moves


def _raw(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _copy(
    source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress, *, patience: float
) -> None:
    """Copy in steps; give up once the target has stayed locked for `patience` seconds (Python
    would otherwise retry for ever), which rolls the target back to what it was."""
    (pages,) = source.execute("PRAGMA page_count").fetchone()
    busy_since: list[float] = []
    with progress("Database", pages, "page") as bar:

        def step(status: int, remaining: int, total: int) -> None:
            if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                busy_since[:] = busy_since or [time.monotonic()]
                if time.monotonic() - busy_since[0] > patience:
                    raise DatabaseInUse
                return
            busy_since.clear()
            bar.total = total
            bar.update(total - remaining - bar.n)

        source.backup(target, pages=PAGES_PER_STEP, progress=step)


class DatabaseInUse(Exception):
    pass


def read_state(db: sqlite3.Connection) -> DatabaseState:
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    ]
    counts = {
        table: db.execute(f"SELECT count(*) FROM {quote_identifier(table)}").fetchone()[0]  # noqa: S608
        for table in tables
    }
    rows = (
        db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
        if "django_migrations" in counts
        else []
    )
    return state_from(counts, rows)


def snapshot(connection: BaseDatabaseWrapper, destination: Path, progress: Progress) -> dict:
    """Copy the database to `destination`; its tables, counts and migrations, read from the
    copy itself, go into the manifest."""
    source = _raw(connection)
    source.execute("BEGIN")  # deferred: a read snapshot, held until the copy is done
    try:
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        copy = sqlite3.connect(destination)
        try:
            _copy(source, copy, progress, patience=_patience(connection))
            # One self-contained file: no -wal beside it when it is opened again.
            copy.execute("PRAGMA journal_mode=DELETE")
            (check,) = copy.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise CommandError(f"The copy of the database failed SQLite's check: {check}")
            state = read_state(copy)
        finally:
            copy.close()
    finally:
        source.execute("ROLLBACK")
    return {
        "state": state,
        "database": {"vendor": "sqlite", "file": DATABASE_FILE, "sqlite": sqlite3.sqlite_version},
    }


def _patience(connection: BaseDatabaseWrapper) -> float:
    """How long a locked database is waited for: the connection's own busy timeout."""
    return float(connection.settings_dict["OPTIONS"].get("timeout", 5))


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)


def check_copy(path: Path, manifest: dict) -> None:
    """Before anything is touched: the backup's database opens, passes SQLite's check and holds
    the rows its manifest counts."""
    db = _open_read_only(path)
    try:
        (check,) = db.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise CommandError(f"{DATABASE_FILE} is damaged: SQLite's check says {check}")
        counts = read_state(db).counts
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{DATABASE_FILE} is not a readable SQLite database: {error}") from None
    finally:
        db.close()
    if counts != manifest["tables"]:
        differ = sorted(
            t
            for t in counts.keys() | manifest["tables"].keys()
            if counts.get(t) != manifest["tables"].get(t)
        )
        raise CommandError(
            f"{DATABASE_FILE} does not hold the rows its manifest counts (tables: "
            f"{', '.join(differ[:5])})."
        )


def restore(
    connection: BaseDatabaseWrapper, path: Path, manifest: dict, progress: Progress
) -> None:
    """Copy the backup (checked by `check_copy`) over the target database."""
    target = _raw(connection)
    source = _open_read_only(path)
    patience = _patience(connection)
    try:
        _copy(source, target, progress, patience=patience)
    except DatabaseInUse:
        raise CommandError(
            f"The database {connection.settings_dict['NAME']} stayed locked for {patience:g} s: "
            "another program is using it. Stop BackTo (the web server and the tasks worker) "
            "while it restores; nothing was restored."
        ) from None
    except sqlite3.Error as error:
        raise CommandError(
            f"SQLite could not write the database {connection.settings_dict['NAME']}: {error}. "
            "Nothing was restored."
        ) from None
    finally:
        source.close()
