"""Probe 2, lockout: sign-in pauses hold under every spelling of an account and every address a
client claims, and tell nothing about which names have an account."""

from __future__ import annotations

import itertools
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from bench.security.client import (
    Probe,
    Reply,
    Seen,
    browser,
    call,
    first_difference,
    form_body,
    same,
    timed,
)
from bench.security.deployment import ACCOUNT_LIMIT, ADDRESS_LIMIT, PASSWORD

SIGN_INS = itertools.count()  # every attempt, from any thread


def attempt(base: str, username: str, password: str, address: str, spoof: str = "") -> Reply:
    """One sign-in from `address`, as the reverse proxy reports it (after whatever the client
    wrote into X-Forwarded-For itself: `spoof`)."""
    next(SIGN_INS)
    session = browser(base)
    headers = {"X-Forwarded-For": f"{spoof}, {address}" if spoof else address}
    call(session, "GET", "/accounts/login/", headers=headers)
    body = form_body(session, {"username": username, "password": password})
    started = time.perf_counter()
    reply = call(session, "POST", "/accounts/login/", body, headers)
    reply.seconds = time.perf_counter() - started
    return reply


def spellings(name: str) -> list[str]:
    return [name, name.upper(), f" {name}", f"{name}@example.org", f" {name.title()}@Example.ORG "]


def fail(base: str, names: list[str], net: int, tries: int = ACCOUNT_LIMIT) -> list[Reply]:
    """Wrong passwords, cycling through `names`, each from its own address."""
    return [
        attempt(base, names[n % len(names)], "wrong password", f"198.51.{net}.{n + 1}")
        for n in range(tries)
    ]


def expect_pause(seen: Seen, what: str, replies: list[Reply], limit: int = ACCOUNT_LIMIT) -> None:
    statuses, wanted = [r.status for r in replies], [200] * (limit - 1) + [429]
    if statuses != wanted:
        seen.holes.append(f"{what}: answers {statuses}, not {wanted}")
    else:
        seen.counts["pauses at the limit"] += 1


def expect_refused(seen: Seen, what: str, reply: Reply) -> None:
    if reply.status == 429:
        seen.counts["right passwords refused while paused"] += 1
    else:
        seen.holes.append(f"{what}: answered {reply.status}, not 429")


def every_spelling_shares_one_pause(base: str) -> Seen:
    seen = Seen()
    names = spellings("demo-parent-1")
    expect_pause(seen, f"wrong passwords as {names}", fail(base, names, 1))
    for n, typed in enumerate(names):
        reply = attempt(base, typed, PASSWORD, f"198.51.2.{n + 1}")
        expect_refused(seen, f"the right password as {typed!r}, the account paused", reply)
    return seen


def a_success_clears_only_its_own_account(base: str) -> Seen:
    seen = Seen()
    paused, other = spellings("demo-parent-2"), spellings("demo-physician")
    expect_pause(seen, f"wrong passwords as {paused}", fail(base, paused, 3))
    fail(base, other, 4, ACCOUNT_LIMIT - 1)
    reply = attempt(base, other[-1], PASSWORD, "198.51.5.1")
    if reply.status != 302:
        seen.holes.append(f"4 failures, then the right password as {other[-1]!r}: {reply.status}")
    for n, typed in enumerate(paused[::3]):
        reply = attempt(base, typed, PASSWORD, f"198.51.5.{n + 2}")
        expect_refused(seen, f"{typed!r} after another account signed in", reply)
    return seen


def a_name_without_an_account_is_paused_alike(base: str) -> Seen:
    """The same answers, the same pause and the same time for a name with an account and one
    without, in the spellings that name one account either way (case, spaces)."""
    seen = Seen()
    known, unknown = [], []
    for n in range(ACCOUNT_LIMIT + 1):  # interleaved: both see the same load on the server
        known += fail(base, spellings("demo-ot")[n % 3 : n % 3 + 1], 6 + n, 1)
        unknown += fail(base, spellings("nobody-here")[n % 3 : n % 3 + 1], 12 + n, 1)
    expect_pause(seen, "a name with an account", known[:ACCOUNT_LIMIT])
    expect_pause(seen, "a name without", unknown[:ACCOUNT_LIMIT])
    if not same(known[-1], unknown[-1]):
        seen.holes.append(
            f"paused: a name with an account answered {known[-1].status}, one without "
            f"{unknown[-1].status}{first_difference(known[-1].body, unknown[-1].body)}"
        )
    # The time a refusal takes must not tell either: the same password hashing for both.
    times = [
        statistics.median(r.seconds for r in rs[: ACCOUNT_LIMIT - 1]) for rs in (known, unknown)
    ]
    seen.notes.append(
        f"a wrong password takes {times[0] * 1000:.0f} ms for a name with an account, "
        f"{times[1] * 1000:.0f} ms for one without (median)"
    )
    if max(times) / min(times) > 3:
        seen.holes.append(f"a wrong password takes {times} s with / without an account")
    return seen


def a_username_and_an_email_tell_nothing_together(base: str) -> Seen:
    """Failures alternating a username and an email address of one account pause at the limit
    (both spellings count for the account); for two names without an account each spelling is
    counted alone, so the pause comes at the limit for each. That difference is the one thing a
    pause tells, by design (docs/permissions.md, "Signing in"); anything else is a hole."""
    seen = Seen()
    for net, name, expected in (
        (20, "demo-pt", ACCOUNT_LIMIT),
        (21, "nobody-else", 2 * ACCOUNT_LIMIT - 1),
    ):
        typed = [name, f"{name}@example.org"]
        statuses = [r.status for r in fail(base, typed, net, 2 * ACCOUNT_LIMIT)]
        paused_at = next((n + 1 for n, status in enumerate(statuses) if status == 429), None)
        if paused_at == expected:
            seen.counts["pauses at the limit"] += 1
        else:
            seen.holes.append(
                f"wrong passwords alternating {typed[0]!r} and {typed[1]!r}: answers {statuses}; "
                f"the pause should come at try {expected}"
            )
    return seen


def an_address_failing_across_names_is_paused(base: str) -> Seen:
    seen = Seen()
    address = "203.0.113.77"
    failed = [
        attempt(base, f"guess{n}@example.org", "wrong password", address, spoof=f"10.{n}.0.1")
        for n in range(ADDRESS_LIMIT)
    ]
    expect_pause(seen, f"{ADDRESS_LIMIT} names from one address", failed, ADDRESS_LIMIT)
    reply = attempt(base, "demo-counselor", PASSWORD, address, spoof="10.99.0.1")
    expect_refused(seen, "a paused address, a new X-Forwarded-For entry before the proxy's", reply)
    reply = attempt(base, "demo-counselor", PASSWORD, "203.0.113.78")
    if reply.status != 302:
        seen.holes.append(f"the same account from another address: {reply.status}, not 302")
    return seen


def lockout(base: str) -> Probe:
    probe = Probe("lockout")
    with timed(probe):
        checks = (
            every_spelling_shares_one_pause,
            a_success_clears_only_its_own_account,
            a_name_without_an_account_is_paused_alike,
            a_username_and_an_email_tell_nothing_together,
            an_address_failing_across_names_is_paused,
        )
        before = next(SIGN_INS)
        with ThreadPoolExecutor(len(checks)) as pool:
            for seen in pool.map(lambda check: check(base), checks):
                for key, n in seen.counts.items():
                    probe.count(key, n)
                probe.holes.extend(seen.holes)
                probe.notes.extend(seen.notes)
        probe.counts = {"sign-ins tried": next(SIGN_INS) - before - 1, **probe.counts}
    return probe
