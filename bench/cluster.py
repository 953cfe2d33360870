"""A health system's set-up on one machine, on 127.0.0.1 only: a PostgreSQL primary, a streaming
replica made with `pg_basebackup`, app servers (gunicorn) and the tasks worker, each a real
process that a fault drill can stop and start again. Used by bench/bench_scale.py."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.servers import PROJECT, free_port, gunicorn_command
from scripts.throwaway_postgres import _newest_bindir

# A modest production configuration for a 24 GB machine; the durable defaults (fsync, synchronous
# commit, full page writes) stay on.
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "max_connections": "100",
    "shared_buffers": "2GB",
    "effective_cache_size": "8GB",
    "work_mem": "16MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "15min",
    "wal_level": "replica",
    "hot_standby": "on",
    "max_wal_senders": "4",
}


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass
class Postgres:
    """One PostgreSQL server: its data directory and port."""

    data: Path
    port: int = field(default_factory=free_port)
    bindir: Path = field(default_factory=_newest_bindir)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/backto"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*_as_postgres(), *args], check=check, capture_output=True, text=True)

    def initdb(self) -> None:
        self.data.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres", "postgres")
        self.run(
            f"{self.bindir}/initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
        )

    def start(self) -> None:
        options = {
            **SETTINGS,
            "port": str(self.port),
            "unix_socket_directories": str(self.data.parent),
        }
        flags = " ".join(f"-c {k}={v}" for k, v in options.items())
        self.run(
            f"{self.bindir}/pg_ctl",
            "-D",
            str(self.data),
            "-l",
            f"{self.data}.log",
            "-w",
            "-t",
            "600",
            "-o",
            flags,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self.run(
            f"{self.bindir}/pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False
        )

    def psql(self, sql: str, database: str = "backto") -> str:
        return self.run(
            f"{self.bindir}/psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-XAtc",
            sql,
        ).stdout.strip()

    def replica(self, data: Path) -> Postgres:
        """A streaming replica of this server in `data` (made afresh), not yet started."""
        shutil.rmtree(data, ignore_errors=True)
        standby = Postgres(data)
        self.run(
            f"{self.bindir}/pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-D",
            str(data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
        )
        return standby


@dataclass
class Process:
    """A service started as its own process group, so that a drill can kill it whole."""

    args: list[str]
    env: dict[str, str]
    cwd: Path = PROJECT  # gunicorn imports the app from its working directory first
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.popen = subprocess.Popen(self.args, env=self.env, cwd=self.cwd, start_new_session=True)

    def kill(self) -> None:
        """SIGKILL to every process of it: a server that dies, not one that shuts down."""
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def app_server(env: dict[str, str], port: int, *, workers: int, cwd: Path = PROJECT) -> Process:
    return Process(gunicorn_command(port, workers, threads=1), env, cwd)


def healthz(base: str) -> int:
    """/healthz's status, 0 when nothing answers."""
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


def wait_for(base: str, status: int = 200, seconds: float = 60) -> float:
    """Seconds until /healthz answers `status`."""
    began = time.monotonic()
    while healthz(base) != status:
        if time.monotonic() - began > seconds:
            raise RuntimeError(f"{base}/healthz did not answer {status} within {seconds} s")
        time.sleep(0.05)
    return time.monotonic() - began


@contextlib.contextmanager
def running(*processes: Process) -> Iterator[None]:
    for process in processes:
        process.start()
    try:
        yield
    finally:
        for process in processes:
            process.stop()
