"""Running the probes on each database, one line a probe, and their figures for bench/RESULTS.md."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

import bench.security
from bench.results import write_section
from bench.security.client import Probe
from bench.security.crash import crash, server_errors
from bench.security.deployment import WORKERS, deploy
from bench.security.kill_nine import kill_nine
from bench.security.lockout import lockout
from bench.security.pages import Crawl
from bench.security.privacy import privacy
from bench.security.tamper import tamper
from bench.servers import gunicorn

HEADING = "## Security probes (issue 16)"


def report(probe: Probe) -> Probe:
    print(probe.line(), flush=True)
    for note in probe.notes:
        print(f"    {note}")
    for hole in probe.holes[:15]:
        print(f"    HOLE {hole}")
    if len(probe.holes) > 15:
        print(f"    ... and {len(probe.holes) - 15} more")
    return probe


def run(database: str, patients: int, sample: int, rounds: int) -> tuple[list[Probe], float]:
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        deployment = deploy(stack, database, patients)
        print(
            f"== {database}: the demo clinic ({patients} children followed) and a second clinic set up "
            f"in {deployment.setup_seconds:.1f} s",
            flush=True,
        )
        private = deployment.seeded["private_patient"]
        crawl = Crawl()
        with gunicorn(deployment.env, workers=WORKERS) as base:
            probes = [report(privacy(base, deployment, crawl, sample))]
            probes.append(report(lockout(base)))
            probes.append(report(kill_nine(base, deployment)))
            crashes = (
                crash(base, crawl, crawl.cat, private, rounds) if crawl.cat else Probe("crash")
            )
        # Whatever any probe made the server raise, its log has it (read once gunicorn stopped).
        crashes.holes.extend(server_errors(deployment.var / "server.log"))
        probes.append(report(crashes))
        probes.append(report(tamper(deployment)))
    seconds = time.perf_counter() - started
    print(f"== {database}: {seconds:.1f} s in all", flush=True)
    return probes, seconds


def markdown(runs: dict[str, tuple[list[Probe], float]], args: argparse.Namespace) -> str:
    databases = list(runs)
    lines = [
        HEADING,
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} CPUs (load average "
        f"{args.load:.1f} at the start), Python {sys.version.split()[0]}, with "
        f"`bench/security_probes.py --database {args.database} --results bench/RESULTS.md`: the "
        f"demo clinic, {args.patients} of its children followed ({args.sample} record of each "
        f"kind per child), a second clinic, gunicorn {WORKERS} workers on 127.0.0.1. `scripts/test` runs "
        "it on SQLite; `make bench` does not run it.",
        "",
        "| probe | what | " + " | ".join(databases) + " |",
        "|---|---|" + "---:|" * len(databases),
    ]
    for n, probe in enumerate(runs[databases[0]][0]):
        same_probe = [runs[d][0][n] for d in databases]
        keys = list(dict.fromkeys(k for p in same_probe for k in p.counts))
        for key in keys:
            figures = " | ".join(f"{p.counts.get(key, 0):,}" for p in same_probe)
            lines.append(f"| {probe.name} | {key} | {figures} |")
        verdicts = " | ".join(
            f"{f'**{len(p.holes)}**' if p.holes else 'none'}, {p.seconds:.0f} s" for p in same_probe
        )
        lines.append(f"| {probe.name} | holes found; seconds | {verdicts} |")
    lines.append(
        "| all | set-up included | " + " | ".join(f"{runs[d][1]:.0f} s" for d in databases) + " |"
    )
    holes: dict[tuple[str, str], list[str]] = {}
    for database in databases:
        for probe in runs[database][0]:
            for hole in probe.holes:
                holes.setdefault((probe.name, hole), []).append(database)
    if holes:
        lines += ["", "Holes found in this run:", ""]
        lines += [f"- {name} ({', '.join(d)}): {hole}" for (name, hole), d in holes.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(bench.security.__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--patients", type=int, default=6, help="demo children crawled")
    parser.add_argument("--sample", type=int, default=1, help="records of each kind per child")
    parser.add_argument("--rounds", type=int, default=3, help="hostile posts of each form")
    parser.add_argument("--results", type=Path, help="write the figures into this RESULTS.md")
    args = parser.parse_args()
    if args.patients < 2:
        parser.error("--patients: at least 2 (the lockout probe signs in as demo-parent-1 and -2)")
    args.load = os.getloadavg()[0]
    databases = {"sqlite": ["SQLite"], "postgres": ["PostgreSQL"]}.get(
        args.database, ["SQLite", "PostgreSQL"]
    )
    runs = {
        database: run(database, args.patients, args.sample, args.rounds) for database in databases
    }
    holes = sum(len(p.holes) for probes, _ in runs.values() for p in probes)
    print(f"{holes} holes found" if holes else "No holes found.")
    if args.results:
        write_section(args.results, markdown(runs, args))
    sys.exit(1 if holes else 0)
