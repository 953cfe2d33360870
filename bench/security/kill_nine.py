"""Probe 3, kill -9: diary entries posted with idempotency keys while every gunicorn worker is
SIGKILLed are each stored exactly once."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path

from bench.security.client import Probe, browser, call, form_body, persona_session, timed
from bench.security.deployment import WORKERS, Deployment, run_json

DIARY = {
    "activity": 3,
    "school": 2,
    "sleep_hours": 8,
    "sleep_quality": 3,
    "mood": 3,
    "home_program": 2,
    "coping": 1,
    "win": "Walked to class",
    "as": "parent",
}
STORED = """
import django, json, sys; django.setup()
from django.apps import apps
rows = apps.get_model("diary", "DiaryEntry").objects.filter(author__username=sys.argv[1])
keys = [str(k) for k in rows.values_list("idempotency_key", flat=True)]
earlier = [k for ks in rows.values_list("earlier_keys", flat=True) for k in ks]
print(json.dumps({"rows": len(keys), "entries": rows.values("patient", "day").distinct().count(),
                  "keys": keys, "earlier": earlier}))
"""


def processes() -> dict[int, tuple[int, str]]:
    """Every process: its parent and command line (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
                found[int(entry.name)] = (ppid, (entry / "cmdline").read_bytes().decode())
    return found


def gunicorn_workers() -> list[int]:
    table = processes()
    masters = {
        pid for pid, (ppid, cmd) in table.items() if ppid == os.getpid() and "gunicorn" in cmd
    }
    return sorted(pid for pid, (ppid, _) in table.items() if ppid in masters)


def kill_nine(base: str, deployment: Deployment) -> Probe:
    probe = Probe("kill -9")
    with timed(probe):
        guardian = "probe-kill-parent"
        session = persona_session(base, guardian)
        entries = [
            (c, day) for day in ("today", "yesterday") for c in deployment.seeded["kill_children"]
        ]
        keys = {entry: str(uuid.uuid4()) for entry in entries}
        outcomes: Counter = Counter()
        lock = threading.Lock()
        done = threading.Semaphore(0)
        finished = threading.Event()

        def post(part: list[tuple[int, str]]) -> None:
            mine = browser(base, session.cookies)
            for child, day in part:
                fields = {**DIARY, "day": day, "idempotency_key": keys[(child, day)]}
                body = form_body(mine, fields)
                for _ in range(150):  # 30 s: gunicorn starts new workers meanwhile
                    reply = call(mine, "POST", f"/patients/{child}/diary/", body)
                    if reply.status == 302:
                        saved = urllib.parse.parse_qs(urllib.parse.urlsplit(reply.location).query)
                        with lock:
                            outcomes[saved.get("saved", ["?"])[0]] += 1
                        break
                    with lock:
                        outcomes[f"answered {reply.status}, sent again"] += 1
                    time.sleep(0.2)
                else:
                    with lock:
                        outcomes["never saved"] += 1
                done.release()

        def killer() -> None:
            # Every worker at once, three times: whatever they were writing is cut off.
            for _ in range(3):
                for _ in range(len(entries) // 5):
                    done.acquire()
                if finished.is_set():
                    return
                workers = gunicorn_workers()
                if not workers:
                    probe.hole("no gunicorn worker found to kill")
                    return
                for pid in workers:
                    os.kill(pid, signal.SIGKILL)
                probe.count("workers killed", len(workers))

        posters = [threading.Thread(target=post, args=(entries[n::4],)) for n in range(4)]
        counting = threading.Thread(target=killer)
        for thread in [*posters, counting]:
            thread.start()
        for thread in posters:
            thread.join()
        finished.set()
        for _ in range(len(entries)):
            done.release()  # the killer stops waiting
        counting.join()
        back = time.monotonic() + 60  # the next probes want every worker back
        while len(gunicorn_workers()) < WORKERS and time.monotonic() < back:
            time.sleep(0.2)
        stored = run_json(STORED, deployment.env, guardian)
        probe.count("entries posted", len(entries))
        probe.count("stored", stored["rows"])
        cut = sum(n for what, n in outcomes.items() if what.startswith("answered"))
        probe.count("requests cut off and sent again", cut)
        sent = set(keys.values())
        if stored["rows"] != len(entries) or stored["entries"] != len(entries):
            probe.hole(
                f"{len(entries)} entries posted, {stored['rows']} rows for {stored['entries']} child-days"
            )
        if set(stored["keys"]) != sent or stored["earlier"]:
            probe.hole(f"stored keys differ from those sent (earlier keys: {stored['earlier']})")
        if (
            set(outcomes)
            - {"created", "already"}
            - {w for w in outcomes if w.startswith("answered")}
        ):
            probe.hole(f"answers: {dict(outcomes)}")
        probe.notes.append(f"answers: {dict(outcomes)}")
    return probe
