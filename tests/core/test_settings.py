"""Production mode is the default and refuses to start without a secret key."""

import json
import os
import subprocess
import sys


def run_check(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BACKTO_")}
    environment.pop("PYTEST_CURRENT_TEST", None)
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='backto.settings'; django.setup()",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_check()
    assert result.returncode != 0
    assert "BACKTO_SECRET_KEY is not set" in result.stderr


def test_it_starts_with_a_secret_key():
    assert run_check(BACKTO_SECRET_KEY="x" * 50).returncode == 0


def test_a_malformed_boolean_names_the_variable():
    result = run_check(BACKTO_SECRET_KEY="x" * 50, BACKTO_DEBUG="maybe")
    assert "BACKTO_DEBUG must be" in result.stderr


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


def test_connections_persist(settings):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


def _database_options(**env: str) -> dict:
    """The main and reporting databases' OPTIONS as the settings make them from `env`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BACKTO_")}
    environment.update(BACKTO_SECRET_KEY="x" * 50, **env)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from backto import settings as s; "
            "print(json.dumps({k: d.get('OPTIONS', {}) for k, d in s.DATABASES.items()}))",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_postgresql_prepares_the_queries_a_connection_repeats_unless_turned_off():
    url = "postgres://backto@127.0.0.1:5432/backto"
    prepared = {"server_side_binding": True, "prepare_threshold": 2}
    both = _database_options(BACKTO_DATABASE_URL=url, BACKTO_REPORTING_DATABASE_URL=url)
    assert both["default"] == prepared
    assert both["reporting"] == {**prepared, "connect_timeout": 2}
    off = _database_options(BACKTO_DATABASE_URL=url, BACKTO_DB_PREPARED="0")
    assert "server_side_binding" not in off["default"]
    # SQLite has nothing of the kind.
    assert "server_side_binding" not in _database_options()["default"]
