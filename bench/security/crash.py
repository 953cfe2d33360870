"""Probe 4, crash: the former server errors replayed at their current addresses, every form and
query string the crawl saw sent again with hostile values, and the server's log read for
tracebacks that any probe caused."""

from __future__ import annotations

import random
import re
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.load import Session
from bench.security.client import THREADS, Probe, Reply, browser, call, form_body, multipart, timed
from bench.security.pages import Crawl

HOSTILE: list[str | bytes] = [
    "²",
    "-1",
    "0",
    "9" * 30,
    "",
    " ",
    "x" * 3000,
    "1.5",
    "NaN",
    "1e309",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "25:61",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\x00",
    "١٢٣",
    "１２",
    "[]",
    '{"a": 1}',
    "\u202e",
    "😀" * 60,
    b"\xff\xfe",
]
NEW_GOAL = {
    "title": "Sleep through the night",
    "discipline": "counseling",
    "baseline_level": "-1",
    "level_minus_2": "Cannot walk to class",
    "level_minus_1": "Walks to one class a day",
    "level_0": "Walks to every class",
    "level_plus_1": "Walks to class and the club",
    "level_plus_2": "Walks to school and every class",
}


def replays(cat: dict, private: int) -> list[tuple[str, str, str, object, set[int]]]:
    """The seven former 500s (tests/core/test_bad_input_fuzz.py and the tests it names): who
    asks, method, path, what is sent, the answers the fix gives."""
    url = {u["name"]: u["url"] for u in cat["urls"] if u["patient"] == private}
    guardian = next(
        p["username"] for p in cat["personas"] if p["kind"] == "guardian" and private in p["circle"]
    )
    clinician = sorted(cat["team"][str(private)])[0]
    far = "start=2026-01-01&end=9999-12-31"
    nested = b"[" * 100_000 + b"]" * 100_000
    huge = b'{"instrument": "fdi-child", "version": "1.0.0", "pack_format": ' + b"9" * 5000 + b"}"
    return [
        (guardian, "POST", url["exercises_today"], {"item": "²", "done": "1"}, {400}),
        # The home program's stop and dose change are POST views of their own (31f9d50).
        (clinician, "POST", url["home_program_stop"], {"stop": "abc"}, {400}),
        (clinician, "POST", url["home_program_dose"], {"edit": "abc"}, {400}),
        ("demo-admin", "GET", "/manage/audit/?until=9999-12-31", None, {200, 400}),
        ("demo-coordinator", "GET", f"/outcomes/?{far}", None, {400}),
        ("demo-coordinator", "GET", f"/outcomes/export.zip?{far}", None, {400}),
        ("demo-admin", "POST", "/manage/questionnaires/pack/", ("pack", nested), {200}),
        ("demo-admin", "POST", "/manage/questionnaires/pack/", ("pack", huge), {200}),
        ("", "POST", "/accounts/login/", {"username": "x" * 1_000_000, "password": "x"}, {200}),
        (clinician, "POST", url["goal_list"], {**NEW_GOAL, "steps": "Walk\n" + "x" * 201}, {200}),
        (clinician, "POST", url["goal_list"], {**NEW_GOAL, "steps": "x" * 1_000_000}, {200}),
    ]


def send(session: Session, method: str, path: str, data: object) -> Reply:
    if isinstance(data, tuple):  # a file upload
        body, kind = multipart(
            [("csrfmiddlewaretoken", session.csrf)],
            [(data[0], "p.json", data[1])],
        )
        return call(session, method, path, body, {"Content-Type": kind})
    if isinstance(data, dict):
        return call(session, method, path, form_body(session, data))
    return call(session, method, path)


def fuzz_form(session: Session, action: str, form: dict, rng: random.Random) -> Reply:
    fields = [(n, rng.choice(HOSTILE)) for n, _ in form["fields"] if n != "csrfmiddlewaretoken"]
    # (form_body urlencodes bytes as they are: "\xff\xfe" arrives as invalid UTF-8)
    if form["multipart"] or form["files"]:
        texts = [(n, v.decode("latin-1") if isinstance(v, bytes) else v) for n, v in fields]
        files = [(n, "probe.bin", rng.randbytes(rng.choice([0, 50, 5000]))) for n in form["files"]]
        body, kind = multipart([*texts, ("csrfmiddlewaretoken", session.csrf)], files)
        return call(session, "POST", action, body, {"Content-Type": kind})
    return call(session, "POST", action, form_body(session, fields))


def fuzz_link(session: Session, target: str, rng: random.Random) -> tuple[str, Reply]:
    parts = urllib.parse.urlsplit(target)
    names = list(urllib.parse.parse_qs(parts.query, keep_blank_values=True))
    query = urllib.parse.urlencode([(n, rng.choice(HOSTILE)) for n in names])
    path = f"{parts.path}?{query}"
    return path, call(session, "GET", path)


def crash(base: str, crawl: Crawl, cat: dict, private: int, rounds: int) -> Probe:
    probe = Probe("crash")
    with timed(probe):
        anonymous = crawl.sessions[""] = browser(base)
        for path in ("/accounts/login/", "/accounts/password-reset/"):
            crawl.saw("", path, call(anonymous, "GET", path))
        for who, method, path, data, wanted in replays(cat, private):
            reply = send(crawl.sessions[who], method, path, data)
            probe.count("former 500s replayed")
            if reply.status not in wanted:
                error = reply.status >= 500 or not reply.status
                probe.hole(
                    f"{who or 'anonymous'}: {method} {path[:60]} answered {reply.status}, "
                    f"{'a server error' if error else 'not the fix'} (wanted {sorted(wanted)})"
                )
        # Every form and query string seen, `rounds` times with hostile values, as who saw it.
        rng = random.Random(16)
        work: dict[str, list[tuple[str, str, dict | None, int]]] = {}
        for who, action, form in crawl.forms.values():
            if not action.startswith("/accounts/logout/"):
                work.setdefault(who, []).extend(
                    ("form posts", action, form, rng.randrange(2**32)) for _ in range(rounds)
                )
        for who, target in crawl.links.values():
            work.setdefault(who, []).extend(
                ("query strings", target, None, rng.randrange(2**32)) for _ in range(rounds)
            )

        def fuzz(who: str) -> list[tuple[str, str, int]]:
            session, answers = crawl.sessions[who], []
            for kind, target, form, seed in work[who]:
                if form is None:
                    path, reply = fuzz_link(session, target, random.Random(seed))
                else:
                    path, reply = target, fuzz_form(session, target, form, random.Random(seed))
                answers.append((kind, path, reply.status))
            return answers

        with ThreadPoolExecutor(THREADS) as pool:
            for who, answers in zip(work, pool.map(fuzz, work), strict=True):
                for kind, path, status in answers:
                    probe.count(kind)
                    if status >= 500 or status == 0:
                        probe.hole(
                            f"{who or 'anonymous'}: {kind[:-1]} {path[:80]} answered {status}"
                        )
    return probe


def server_errors(log: Path) -> list[str]:
    """Every server error in gunicorn's log (the workers' output included): a traceback under a
    line logged at ERROR or above, once per path and exception. (A refusal's 4xx is logged as a
    warning, with its traceback.)"""
    found: dict[str, None] = {}
    level, path, in_traceback = "", "", False
    for line in log.read_text(errors="replace").splitlines() if log.exists() else []:
        header = re.match(
            r"(?:\S+ \S+ |\[[^]]+\] \[\d+\] \[)(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b", line
        )
        if header:
            level, in_traceback = header.group(1), False
            request = re.search(r"Internal Server Error: (\S+)", line)
            path = re.sub(r"\d+", "N", request.group(1)) if request else "(no request)"
        elif line.startswith("Traceback"):
            in_traceback = level in ("ERROR", "CRITICAL")
        elif in_traceback and line[:1].strip() and not line.startswith(("During", "The above")):
            found[f"the server's log: {path}: {line.strip()[:160]}"] = None
            in_traceback = False
    return list(found)
