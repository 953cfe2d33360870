"""Which pg_dump, pg_restore and psql a backup runs, and how they reach the database: the
newest Debian client that is new enough for the server, else the one on PATH; the password in
PGPASSWORD, never on a command line."""

import os
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError

from backto.capabilities.backup.postgres import find_tool, libpq_env


def fake_client(path: Path, major: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho '{path.name} (PostgreSQL) {major}.3'\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def debian(tmp_path) -> Path:
    """/usr/lib/postgresql with clients 13 and 16 (and a stray folder)."""
    root = tmp_path / "postgresql"
    for major in (13, 16):
        fake_client(root / str(major) / "bin" / "pg_dump", major)
    (root / "common" / "bin").mkdir(parents=True)
    return root


@pytest.fixture
def path_with(tmp_path, monkeypatch):
    def put(major: int) -> Path:
        client = fake_client(tmp_path / "path" / "pg_dump", major)
        monkeypatch.setenv("PATH", f"{client.parent}{os.pathsep}{os.environ['PATH']}")
        return client

    return put


@pytest.mark.parametrize("server", [12, 13, 15, 16])
def test_the_newest_debian_client_serves_any_older_server(debian, server):
    assert find_tool("pg_dump", server, root=debian) == str(debian / "16/bin/pg_dump")


def test_the_client_on_path_serves_a_server_newer_than_debians(debian, path_with):
    on_path = path_with(17)
    assert find_tool("pg_dump", 17, root=debian) == str(on_path)


def test_without_a_client_new_enough_it_says_what_to_install(debian, path_with):
    path_with(14)
    with pytest.raises(CommandError, match="pg_dump from PostgreSQL 17 or newer") as error:
        find_tool("pg_dump", 17, root=debian)
    assert "apt install postgresql-client-17" in str(error.value)
    assert str(debian / "16/bin/pg_dump") in str(error.value)


def test_without_debians_folder_the_client_on_path_is_used(tmp_path, path_with):
    on_path = path_with(16)
    assert find_tool("pg_dump", 15, root=tmp_path / "nowhere") == str(on_path)


def test_the_password_and_where_to_connect_go_in_the_environment():
    settings_dict = {
        "NAME": "backto",
        "USER": "backto_app",
        "PASSWORD": "s3cret-pw",
        "HOST": "db.internal",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "verify-full", "sslrootcert": "/etc/ssl/ca.pem"},
    }
    env = libpq_env(settings_dict)
    assert env["PGPASSWORD"] == "s3cret-pw"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.internal",
        "5433",
        "backto_app",
        "backto",
    )
    assert (env["PGSSLMODE"], env["PGSSLROOTCERT"]) == ("verify-full", "/etc/ssl/ca.pem")
    assert env["PATH"] == os.environ["PATH"]
