"""The family app on a phone (issue 20): the diary page's weight and requests on a cold and a warm
load, and its time to interactive on a throttled 3G connection, in Debian's Chromium.

    .venv/bin/python bench/bench_family_app.py [--rounds 5] [--results bench/RESULTS.md]

1. A fresh SQLite database with the demo clinic (`backto demo`), static files collected as in
   production (WhiteNoise, compressed and hashed), gunicorn 2 workers x 1 thread on 127.0.0.1.
2. Chromium at a 390 x 844 phone viewport signs in as the demo's teen, then, each round:
   - cold: the browser cache, Cache Storage and service workers of the site are cleared, then the
     teen opens today's diary;
   - warm: the teen opens the same page again (HTTP cache and the service worker's cache).
   Each load runs under DevTools' "Fast 3G" profile (562.5 ms round trip, 1.44 Mbit/s down,
   675 kbit/s up) with the CPU slowed 4x, the usual stand-in for a mid-range phone.
3. What is counted: requests the page made (the service worker's own fetches not included),
   bytes over the wire (the encoded length CDP reports, headers included), and time to
   interactive, taken as the end of DOMContentLoaded: the diary's scripts are `defer`, so by then
   every one of them has run and the steps answer a tap. The network then stays idle (no script
   is loaded lazily); the load event is reported beside it.
4. Baseline, in the same run and under the same throttling: the bare `/healthz` answer (one
   request, a few bytes), so the ratio says what the page costs beyond the connection itself.

Targets (issue 20): "keep them small and say the figures". Held to: a cold diary under 100 kB
over the wire and interactive within 3 s on Fast 3G; a warm load sends at most the page itself.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_pages import run_json
from bench.results import write_section
from bench.servers import backto, bench_env, gunicorn

HEADING = "## The family app on a phone (issue 20)"
PASSWORD = "bench-password-1"
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
# DevTools' "Fast 3G" preset, as Chromium's own front end defines it.
FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.6 * 1_000_000 / 8 * 0.9,
    "uploadThroughput": 0.75 * 1_000_000 / 8 * 0.9,
}
CPU_SLOWDOWN = 4
TARGET_COLD_KB = 100
TARGET_INTERACTIVE_MS = 3000


def tap_limits() -> dict[str, str]:
    """The tap counts the diary browser test holds (read from it, so the two never differ)."""
    test = Path(__file__).resolve().parents[1] / "tests/browser/test_diary_thumb.py"
    return dict(re.findall(r"^MAX_(CHILD|PARENT)_TAPS = (\d+)", test.read_text(), re.M))


TEEN = """
import django, json; django.setup()
from backto.access.patients.models import Patient
p = Patient.objects.filter(teen_account__isnull=False).select_related("teen_account").first()
print(json.dumps({"username": p.teen_account.username, "patient": p.pk}))
"""


def load(page: Any, cdp: Any, url: str) -> dict[str, float]:
    """Open `url` under the throttling; what the page requested and when it became usable."""
    requests: list[str] = []
    transferred: list[float] = []
    from_cache: set[str] = set()

    def sent(event: dict[str, Any]) -> None:
        requests.append(event["request"]["url"])

    def finished(event: dict[str, Any]) -> None:
        transferred.append(event["encodedDataLength"])

    def cached(event: dict[str, Any]) -> None:
        from_cache.add(event["requestId"])

    def received(event: dict[str, Any]) -> None:
        answer = event["response"]
        if answer.get("fromDiskCache") or answer.get("fromServiceWorker"):
            from_cache.add(event["requestId"])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.requestServedFromCache", cached)
    cdp.on("Network.responseReceived", received)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    timing = page.evaluate(
        "() => { const t = performance.getEntriesByType('navigation')[0];"
        " return {interactive: t.domContentLoadedEventEnd, load: t.loadEventEnd,"
        " html: t.decodedBodySize}; }"
    )
    cdp.remove_listener("Network.requestWillBeSent", sent)
    cdp.remove_listener("Network.loadingFinished", finished)
    cdp.remove_listener("Network.requestServedFromCache", cached)
    cdp.remove_listener("Network.responseReceived", received)
    return {
        "requests": len(requests),
        "network": len(requests) - len(from_cache),
        "kb": sum(transferred) / 1024,
        "interactive_ms": timing["interactive"],
        "load_ms": timing["load"],
        "html_kb": timing["html"] / 1024,
    }


def measure(rounds: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="backto-bench.") as var:
        env = bench_env(Path(var))
        backto(env, "migrate", "--noinput", "-v0")
        backto(env, "collectstatic", "--noinput", "-v0")
        backto(env, "demo", "--password", PASSWORD)
        teen = run_json(TEEN, env)
        with gunicorn(env) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
            page = context.new_page()
            page.goto(base + "/accounts/login/")
            page.get_by_label("Username or email").fill(teen["username"])
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("networkidle")
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            diary = f"{base}/patients/{teen['patient']}/diary/"
            runs: dict[str, list[dict[str, float]]] = {
                "cold": [],
                "warm": [],
                "offline": [],
                "baseline": [],
            }
            for _ in range(rounds):
                cdp.send(
                    "Network.emulateNetworkConditions",
                    {
                        "offline": False,
                        "latency": 0,
                        "downloadThroughput": -1,
                        "uploadThroughput": -1,
                    },
                )
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
                cdp.send("Network.clearBrowserCache")
                cdp.send(
                    "Storage.clearDataForOrigin",
                    {"origin": base, "storageTypes": "cache_storage,service_workers"},
                )
                page.goto("about:blank")
                cdp.send("Network.emulateNetworkConditions", FAST_3G)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
                runs["baseline"].append(load(page, cdp, base + "/healthz"))
                runs["cold"].append(load(page, cdp, diary))
                runs["warm"].append(load(page, cdp, diary))
                context.set_offline(True)
                runs["offline"].append(load(page, cdp, diary))
                context.set_offline(False)
            browser.close()
    return {
        name: {key: statistics.median(r[key] for r in found) for key in found[0]}
        for name, found in runs.items()
    }


def section(figures: dict[str, Any], rounds: int) -> str:
    cold, warm, bare = figures["cold"], figures["warm"], figures["baseline"]
    offline = figures["offline"]
    taps = tap_limits()
    ok_kb = "met" if cold["kb"] < TARGET_COLD_KB else "missed"
    ok_ms = "met" if cold["interactive_ms"] < TARGET_INTERACTIVE_MS else "missed"
    ok_warm = "met" if warm["network"] <= 1 else "missed"
    rows = "\n".join(
        f"| {label} | {f['requests']:.0f} | {f['requests'] - f['network']:.0f} | "
        f"{f['kb']:.1f} | {f['html_kb']:.1f} | "
        f"{f['interactive_ms']:.0f} | {f['load_ms']:.0f} | "
        f"{f['interactive_ms'] / bare['interactive_ms']:.1f} |"
        for label, f in (
            ("bare `/healthz` (baseline)", bare),
            ("diary, cold", cold),
            ("diary, warm", warm),
            ("diary, offline (the kept copy)", offline),
        )
    )
    return f"""{HEADING}

`bench/bench_family_app.py`, {datetime.date.today():%Y-%m-%d}, {platform.machine()},
Chromium {CHROMIUM} at 390 x 844, DevTools' Fast 3G (562.5 ms round trip, 1.44 Mbit/s down) with
the CPU slowed {CPU_SLOWDOWN}x; the demo's teen opens today's diary. Medians of {rounds} rounds;
each round clears the browser cache, Cache Storage and the service worker before the cold load.

| load | requests | from a cache | kB over the wire | HTML kB (decoded) | interactive (ms) | load event (ms) | x baseline |
|---|---|---|---|---|---|---|---|
{rows}

- Cold diary under {TARGET_COLD_KB} kB over the wire: {ok_kb} ({cold["kb"]:.1f} kB).
- Interactive within {TARGET_INTERACTIVE_MS / 1000:.0f} s on Fast 3G: {ok_ms}
  ({cold["interactive_ms"]:.0f} ms, {cold["interactive_ms"] / bare["interactive_ms"]:.1f}x the
  bare answer's {bare["interactive_ms"]:.0f} ms).
- A warm load sends at most the page itself: {ok_warm} ({warm["network"]:.0f} of
  {warm["requests"]:.0f} requests to the network, {warm["kb"]:.1f} kB over the page's connection;
  the stylesheet, scripts and icons come from the caches).
- "From a cache" counts answers from the HTTP cache or the service worker. On a warm load the
  page itself is the worker's (network first): the worker fetches it over the network, and
  DevTools' throttling does not reach a worker's own fetches, so the warm time is a lower bound.
  The offline row is the figure for a kept page: no connection at all, the diary opened from the
  worker's copy, interactive in {offline["interactive_ms"]:.0f} ms on the slowed CPU.
- Taps to complete a diary on the phone, held by `tests/browser/test_diary_thumb.py` so they
  cannot grow unnoticed: a child's diary in at most {taps["CHILD"]}, a parent's in at most
  {taps["PARENT"]}.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    figures = measure(args.rounds)
    print(json.dumps(figures, indent=2))
    text = section(figures, args.rounds)
    print(text)
    if args.results:
        write_section(args.results, text)


if __name__ == "__main__":
    main()
