"""Start what an HTTP benchmark measures: a throwaway PostgreSQL server and gunicorn, both on
127.0.0.1, both stopped at the end whatever happens."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from scripts.throwaway_postgres import free_port, postgres

PROJECT = Path(__file__).resolve().parents[1]
VENV_BIN = PROJECT / ".venv" / "bin"
__all__ = ["PROJECT", "VENV_BIN", "backto", "bench_env", "free_port", "gunicorn", "postgres"]


def backto(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(VENV_BIN / "backto"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    """gunicorn serving BackTo on 127.0.0.1:port, quietly."""
    return [
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
        # gunicorn's control socket is one path per user: two servers on one machine would
        # fight over it, and nothing here uses it.
        "--no-control-socket",
    ]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, threads: int = 1) -> Iterator[str]:
    """The production WSGI server as `make run` starts it (2 workers, 1 thread each), with the
    bench settings; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(gunicorn_command(port, workers, threads), env=env, cwd=PROJECT)
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
