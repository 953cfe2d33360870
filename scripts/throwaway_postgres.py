#!/usr/bin/env python3
"""A throwaway PostgreSQL server on 127.0.0.1, for the test suite and the benchmarks.

    scripts/throwaway_postgres.py [--fast] -- COMMAND [ARG ...]

runs COMMAND with BACKTO_DATABASE_URL pointing at a fresh cluster on a free port, then stops the
server and deletes the cluster, whatever happens; it exits with COMMAND's status. `--fast` turns
off fsync and synchronous commit (for tests: the data is thrown away anyway). The benchmarks use
`postgres()` directly, with the durable defaults a deployment has.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _newest_bindir() -> Path:
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        raise SystemExit("PostgreSQL is not installed: scripts/debian-packages test installs it.")
    return Path(max(found, key=lambda p: int(Path(p).parts[-3]))).parent


@contextlib.contextmanager
def postgres(*, fast: bool = False, database: str = "backto") -> Iterator[str]:
    """A fresh PostgreSQL cluster on a free port; yields its database URL."""
    bindir = _newest_bindir()
    workdir = Path(tempfile.mkdtemp(prefix="backto-pg."))
    port = free_port()
    as_pg: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(workdir, "postgres", "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]

    def run(*args: str) -> None:
        subprocess.run([*as_pg, *args], check=True, capture_output=True)

    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c max_connections=50"
    if fast:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    data = f"{workdir}/data"
    try:
        run(
            f"{bindir}/initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        run(f"{bindir}/pg_ctl", "-D", data, "-l", f"{workdir}/log", "-w", "-o", options, "start")
        run(f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database)
        yield f"postgres://postgres@127.0.0.1:{port}/{database}"
    finally:
        subprocess.run(
            [*as_pg, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        raise SystemExit(__doc__)
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1 :]
    with postgres(fast="--fast" in options) as url:
        env = {**os.environ, "BACKTO_DATABASE_URL": url}
        return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
