"""PDF reports of a 6-month episode, in process: where the time goes (issue 24).

    .venv/bin/python bench/bench_report.py [--patients 300] [--days 180] [--repeat 7]
        [--var-dir DIR] [--results bench/RESULTS.md]

1. `backto migrate` and `backto synth --patients N --days D --clinics 1` fill a fresh SQLite
   database in a temporary BACKTO_VAR_DIR (or reuse one with --var-dir), each in a process of
   its own with the bench settings.
2. The latest episode of the child whose diary spans longest is the one reported on (the
   6-month episode); it is given an approved school plan when it has none (synth writes none),
   so that the school letter can be printed.
3. In this process, for each of the family, physician and school reports: report_context,
   render_to_string and html_to_pdf, each timed, median of --repeat after one warm-up.
   Baseline, measured in the same run: WeasyPrint writing a minimal one-page HTML. The CPU is
   shared, so each figure is also given as a ratio to that baseline.

Target (issue 24): the PDF progress report under 0.3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_pages import synth
from bench.results import write_section
from bench.servers import backto, bench_env

HEADING = "## PDF reports (issue 24)"
KINDS = ("family", "physician", "school")
BARE_HTML = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Bare</title></head>"
    "<body><p>One line.</p></body></html>"
)
TARGET_MS = 300


def build_database(var_dir: Path, patients: int, days: int) -> None:
    env = bench_env(var_dir)
    backto(env, "migrate", "--noinput", "-v0")
    synth(env, patients, days)


def interleaved(steps: dict[str, Callable[[], Any]], repeat: int) -> dict[str, Any]:
    """Each step once as a warm-up, then all of them in turn `repeat` times, so that every step
    meets the same noise of a shared CPU. For each step: the median wall-clock and CPU time in
    ms, and its last result. (The CPU time is the steadier of the two.)"""
    results = {name: step() for name, step in steps.items()}
    wall: dict[str, list[float]] = {name: [] for name in steps}
    cpu: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, step in steps.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            results[name] = step()
            wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - started_cpu) * 1000)
    return {
        name: (statistics.median(wall[name]), statistics.median(cpu[name]), results[name])
        for name in steps
    }


def unshared_pdf(html: str) -> bytes:
    """The PDF as html_to_pdf wrote it before issue 24, for comparison in the same run: the
    stylesheet inline in the HTML and parsed with it, a new font configuration every time."""
    from weasyprint import HTML

    from backto.readers.progress.pdf import STYLESHEET, MediaOnlyFetcher

    inline = html.replace("</style>", STYLESHEET.read_text(encoding="utf-8") + "</style>", 1)
    pdf = HTML(string=inline, url_fetcher=MediaOnlyFetcher()).write_pdf()
    assert pdf is not None
    return pdf


def long_episode() -> Any:
    """The 6-month episode: the latest episode of the child whose diary spans longest, as in
    bench_pages.py. (Synth's running episodes are a few weeks old; the long diaries belong to
    episodes that have reached follow-up or closed, and every report prints for those too.)"""
    from django.db.models import Max, Min

    from backto.access.patients.models import Episode
    from backto.capabilities.diary.models import DiaryEntry

    spans = (
        DiaryEntry.objects.filter(respondent="child")
        .values("patient_id")
        .annotate(first=Min("day"), last=Max("day"))
    )
    span = max(spans, key=lambda s: (s["last"] - s["first"], -s["patient_id"]))
    episode = Episode.objects.filter(patient_id=span["patient_id"]).order_by("-referral_date")[0]
    return episode, span


def approve_school_plan(episode: Any) -> None:
    """An approved school plan for the episode (synth writes none), so the letter can print."""
    from django.utils import timezone

    from backto.capabilities.schoolplan.models import SchoolPlan

    if SchoolPlan.objects.filter(episode=episode, approved_at__isnull=False).exists():
        return
    lead = episode.care_team.order_by("-is_lead", "pk").first()
    SchoolPlan.objects.update_or_create(
        episode=episode,
        defaults={
            "attendance_plan": "Mornings for two weeks, then full days.",
            "accommodations": "A pass to stand and stretch; lift access.",
            "share_goals": True,
            "updated_by": lead.clinician,
            "approved_at": timezone.now(),
        },
    )


def measure(repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from backto.readers.progress.pdf import html_to_pdf
    from backto.readers.progress.reports import REPORTS, Report, ReportNotReady, report_context

    episode, span = long_episode()
    approve_school_plan(episode)
    from weasyprint import HTML

    figures: dict[str, Any] = {
        "episode": episode.pk,
        "state": episode.state,
        "diary": {"first": str(span["first"]), "last": str(span["last"])},
        "repeat": repeat,
        "reports": {},
    }
    baselines: list[tuple[float, float]] = []
    for kind in KINDS:
        if kind not in REPORTS:
            continue
        report = REPORTS[kind]
        try:
            context = report_context(report, episode)
        except ReportNotReady as refusal:
            figures["reports"][kind] = {"not_ready": str(refusal)}
            continue
        with CaptureQueriesContext(connection) as captured:
            report_context(report, episode)
        queries = len(captured)
        with translation.override(context["language"]):
            html = render_to_string(report.template, context)

        def render(context: dict[str, Any] = context, template: str = report.template) -> str:
            with translation.override(context["language"]):
                return render_to_string(template, context)

        def whole(report: Report = report) -> bytes:
            context = report_context(report, episode)
            with translation.override(context["language"]):
                return html_to_pdf(render_to_string(report.template, context))

        timed = interleaved(
            {
                "baseline": lambda: HTML(string=BARE_HTML).write_pdf(),
                "total": whole,
                "report_context": partial(report_context, report, episode),
                "render_to_string": render,
                "html_to_pdf": partial(html_to_pdf, html),
                "html_to_pdf_unshared": partial(unshared_pdf, html),
            },
            repeat,
        )
        baselines.append(timed["baseline"][:2])
        entry: dict[str, Any] = {}
        for name, (wall, cpu, _) in timed.items():
            entry[f"{name}_ms"], entry[f"{name}_cpu_ms"] = wall, cpu
            entry[f"{name}_ratio"] = wall / timed["baseline"][0]
            entry[f"{name}_cpu_ratio"] = cpu / timed["baseline"][1]
        entry.update(
            queries=queries,
            html_kb=len(html.encode()) / 1024,
            pdf_kb=len(timed["html_to_pdf"][2]) / 1024,
        )
        figures["reports"][kind] = entry
    figures["baseline_ms"] = statistics.median(w for w, _ in baselines)
    figures["baseline_cpu_ms"] = statistics.median(c for _, c in baselines)
    return figures


def section(f: dict[str, Any]) -> str:
    b, bc = f["baseline_ms"], f["baseline_cpu_ms"]
    lines = [
        HEADING,
        "",
        f"`python bench/bench_report.py --results bench/RESULTS.md` (run {time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, Python {platform.python_version()}, SQLite, "
        f"`backto synth --patients {f['patients']} --days {f['days']} --clinics 1`). In process, "
        f"median of {f['repeat']} after a warm-up, for the episode whose child diary spans "
        f"longest ({f['diary']['first']} to {f['diary']['last']}, state {f['state']}). Baseline "
        f"in the same run: WeasyPrint writing a one-line page, **{b:.0f} ms** ({bc:.0f} ms of "
        "CPU), timed in turn with each report's steps so that all meet the same noise; ratios "
        "are to the baseline timed with that report. The CPU is shared with other work, so each "
        "figure is given as wall-clock time and as this process's CPU time, the steadier of the "
        "two. Target: the report under 300 ms.",
        "",
        "| report | total (CPU) | report_context (queries) | render_to_string | html_to_pdf (CPU) "
        "| html_to_pdf as before issue 24 (CPU) | total / baseline (CPU) | under 300 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for kind, r in f["reports"].items():
        if "not_ready" in r:
            lines.append(f"| {kind} | not ready | | | | | | |")
            continue
        lines.append(
            f"| {kind} | {r['total_ms']:.0f} ms ({r['total_cpu_ms']:.0f}) "
            f"| {r['report_context_ms']:.0f} ms ({r['queries']}) "
            f"| {r['render_to_string_ms']:.1f} ms "
            f"| {r['html_to_pdf_ms']:.0f} ms ({r['html_to_pdf_cpu_ms']:.0f}) "
            f"| {r['html_to_pdf_unshared_ms']:.0f} ms ({r['html_to_pdf_unshared_cpu_ms']:.0f}) "
            f"| {r['total_ratio']:.1f} ({r['total_cpu_ratio']:.1f}) "
            f"| {'yes' if r['total_ms'] < TARGET_MS else 'no'} |"
        )
    if f.get("notes"):
        lines += ["", f["notes"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--var-dir", type=Path, help="reuse the database in this folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--notes", default="", help="a paragraph for the results section")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    var_dir = args.var_dir
    if var_dir is None:
        var_dir = Path(tempfile.mkdtemp(prefix="backto-bench-report."))
        build_database(var_dir, args.patients, args.days)
    for key in [k for k in os.environ if k.startswith("BACKTO_")]:
        del os.environ[key]
    os.environ.update(bench_env(var_dir))
    try:
        figures = measure(args.repeat)
    finally:
        if args.var_dir is None and not args.keep:
            import shutil

            shutil.rmtree(var_dir, ignore_errors=True)
        elif args.var_dir is None:
            print(f"database kept in {var_dir}", file=sys.stderr)
    figures.update(patients=args.patients, days=args.days, notes=args.notes)
    print(json.dumps(figures, indent=2))
    if args.results:
        write_section(args.results, section(figures))


if __name__ == "__main__":
    main()
