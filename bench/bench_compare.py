"""Before and after: the scale bench's four pages served by an earlier revision of BackTo and by
this working tree, in interleaved rounds against the same loaded network.

This machine's speed drifts by a third or more within minutes (other work on the host), which
moves every figure of one run of bench_scale.py, the bare baseline's too. Here both versions'
app servers run side by side, and each page is measured on one version and at once on the other
(which goes first alternates by round), so a change is judged by the ratio of two phases a few
seconds apart, and by its median over the rounds.

    python bench/bench_compare.py --before 988900b --rounds 4 [--results bench/RESULTS.md]

Needs the network bench_scale.py loaded (--data, the same default) and the revision's code only:
both versions run with this tree's virtualenv, against the same database, so the revision must
need no migration this tree lacks (and the reverse).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_pages import run_json
from bench.bench_scale import PASSWORD, SEED, USERS, prepared
from bench.cluster import app_server, running, wait_for
from bench.load import run_load
from bench.results import write_section
from bench.servers import PROJECT, bench_env, free_port

PAGES = ("caseload", "progress", "family_home", "diary")


@contextlib.contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """A checkout of `revision` in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="backto-before-") as parent:
        tree = Path(parent) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--quiet", "--detach", str(tree), revision],
            cwd=PROJECT,
            check=True,
        )
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=PROJECT, check=False
            )


@contextlib.contextmanager
def served(tree: Path, env: dict[str, str]) -> Iterator[list[str]]:
    """Two app servers of one worker each (as bench_scale.py runs them) from `tree`."""
    env = {**env, "PYTHONPATH": str(tree)}
    ports = [free_port(), free_port()]
    with running(*(app_server(env, port, workers=1, cwd=tree) for port in ports)):
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            wait_for(base, 200, 60)
        yield bases


def phase(bases: list[str], user: str, path: str, requests: int) -> dict[str, float]:
    """One page's p50 and p95 with 8 users, after a warm-up."""
    users = [(user, PASSWORD)] * USERS
    run_load(bases, users, lambda _u, _n: ("GET", path, ""), total=USERS * 10)
    result = run_load(bases, users, lambda _u, _n: ("GET", path, ""), total=requests)
    return {"p50": result.p50_ms, "p95": result.p95_ms}


def markdown(rounds: list[dict], before: str, after: str, requests: int) -> str:
    rows = []
    for name in ("bare", *PAGES):
        pairs = [(r["before"][name], r["after"][name]) for r in rounds]
        ratio = statistics.median(b["p50"] / a["p50"] for b, a in pairs)
        cells = " | ".join(f"{b['p50']:.0f} / {a['p50']:.0f}" for b, a in pairs)
        p95 = (
            f"{statistics.median(b['p95'] for b, _ in pairs):.0f} / "
            f"{statistics.median(a['p95'] for _, a in pairs):.0f}"
        )
        rows.append(f"| {name.replace('_', ' ')} | {cells} | {p95} | {ratio:.2f} |")
    heads = " | ".join(f"round {i + 1}" for i in range(len(rounds)))
    return "\n".join(
        [
            "## Before and after, at 100,000 children (issue 24)",
            "",
            f"Measured {datetime.date.today()} on {platform.machine()} with "
            f"`bench/bench_compare.py --before {before}`: revision {before} and {after}, each "
            "served by two app servers of one worker (as bench_scale.py runs them) against the "
            "same loaded network, side by side; in each of "
            f"{len(rounds)} rounds every page was measured on one version and at once on the "
            f"other (which first alternating), {requests} requests with 8 users after a warm-up. "
            "Cells: p50 before / after, in ms. The ratio is the median over the rounds of each "
            "round's p50 before / after: the machine's speed drifted between rounds (the bare "
            "view's figures show by how much), which moves both phases of a pair alike.",
            "",
            f"| page | {heads} | p95, median | before / after, p50 |",
            "|---|" + "---:|" * (len(rounds) + 2),
            *rows,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the earlier revision (a git ref)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=400, help="requests a page a round")
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "backto-scale"))
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    # prepared() loads the network if it is not there yet: its size is bench_scale.py's.
    size = argparse.Namespace(patients=100_000, clinics=20, days=180, seed=1, jobs=2, **vars(args))
    primary, _ = prepared(size)
    after = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True
    ).stdout.strip()
    if subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=PROJECT, check=False).returncode:
        after += " with uncommitted changes"
    rounds: list[dict] = []
    with contextlib.ExitStack() as stack:
        stack.callback(primary.stop)
        tree = stack.enter_context(worktree(args.before))
        env = bench_env(Path(args.data) / "var", primary.url)
        seeded = run_json(SEED, env)
        paths = {
            "bare": ("bench-pt", "/bench/read/"),
            "caseload": ("bench-pt", "/clinic/"),
            "progress": ("bench-pt", f"/episodes/{seeded['episode']}/progress/"),
            "family_home": ("bench-family", "/family/"),
            "diary": ("bench-family", f"/patients/{seeded['child']}/diary/"),
        }
        servers = {
            "before": stack.enter_context(served(tree, env)),
            "after": stack.enter_context(served(PROJECT, env)),
        }
        for n in range(args.rounds):
            order = ("before", "after") if n % 2 == 0 else ("after", "before")
            found: dict[str, dict] = {"before": {}, "after": {}}
            for name, (user, path) in paths.items():
                for label in order:  # the two versions of a page back to back
                    found[label][name] = phase(servers[label], user, path, args.requests)
            rounds.append(found)
            print(
                f"round {n + 1}: "
                + " | ".join(
                    f"{name} {found['before'][name]['p50']:.0f} / {found['after'][name]['p50']:.0f}"
                    for name in paths
                ),
                flush=True,
            )
    section = markdown(rounds, args.before, after, args.requests)
    print(section)
    if args.results:
        write_section(args.results, section + "\n")


if __name__ == "__main__":
    main()
