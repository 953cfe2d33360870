"""Start what an HTTP benchmark measures: a throwaway PostgreSQL server and gunicorn, both on
127.0.0.1, both stopped at the end whatever happens."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
VENV_BIN = PROJECT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A fresh PostgreSQL cluster on a free port; yields its database URL."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1]
    bindir = Path(initdb).parent
    workdir = Path(tempfile.mkdtemp(prefix="backto-bench-pg."))
    port = free_port()
    as_pg: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    run = lambda *args: subprocess.run([*as_pg, *args], check=True, capture_output=True)  # noqa: E731
    run(
        str(bindir / "initdb"),
        "-D",
        f"{workdir}/data",
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-sync",
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c max_connections=50"
    run(
        str(bindir / "pg_ctl"),
        "-D",
        f"{workdir}/data",
        "-l",
        f"{workdir}/log",
        "-w",
        "-o",
        options,
        "start",
    )
    run(
        str(bindir / "createdb"),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-U",
        "postgres",
        "backto_bench",
    )
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/backto_bench"
    finally:
        subprocess.run(
            [*as_pg, str(bindir / "pg_ctl"), "-D", f"{workdir}/data", "-m", "fast", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def backto(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(VENV_BIN / "backto"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, threads: int = 1) -> Iterator[str]:
    """The production WSGI server as `make run` starts it (2 workers, 1 thread each), with the
    bench settings; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "backto.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=PROJECT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def bench_env(var_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKTO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "PYTHONPATH": str(PROJECT),
            "BACKTO_SECRET_KEY": "bench-" + "x" * 50,
            "BACKTO_HTTPS": "0",
            "BACKTO_VAR_DIR": str(var_dir),
            "BACKTO_LOG_LEVEL": "WARNING",
        }
    )
    if database_url:
        env["BACKTO_DATABASE_URL"] = database_url
    return env
