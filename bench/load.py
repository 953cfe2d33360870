"""A small load generator: N concurrent signed-in users over keep-alive connections, in a
process of its own, bounded by request count and time. Reports throughput and latency."""

from __future__ import annotations

import http.client
import json
import re
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Session:
    conn: http.client.HTTPConnection
    cookies: dict[str, str]

    def request(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        all_headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Host": "127.0.0.1",
        }
        if body:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        all_headers.update(headers or {})
        self.conn.request(method, path, body=body, headers=all_headers)
        response = self.conn.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        # A browser shows the flash message on the page it is redirected to, which clears it;
        # the load generator does not follow redirects, so it drops the message instead.
        self.cookies.pop("messages", None)
        return response

    @property
    def csrf(self) -> str:
        return self.cookies["csrftoken"]


def sign_in(base: str, username: str, password: str) -> Session:
    parts = urllib.parse.urlsplit(base)
    session = Session(
        http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30), {}
    )
    session.request("GET", "/accounts/login/")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": session.csrf}
    )
    response = session.request(
        "POST", "/accounts/login/", body, {"Referer": base + "/accounts/login/"}
    )
    if response.status != 302:
        raise RuntimeError(f"sign-in failed for {username}: {response.status}")
    return session


@dataclass
class LoadResult:
    requests: int
    seconds: float
    statuses: dict[int, int]
    p50_ms: float
    p95_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def run_load(
    base: str | list[str],
    users: list[tuple[str, str]],
    make_request: Callable[[int, int], tuple[str, str, str]],
    *,
    total: int,
    max_seconds: float = 60.0,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """Each user (a thread) sends total/len(users) requests, or fewer if time runs out.
    make_request(user_index, n) -> (method, path, urlencoded body), n counting that user's own
    requests from 0, so a benchmark knows exactly what each user sent. `headers` go with every
    request (an API token, for the API and FHIR benchmarks). With several bases (app servers
    behind one address, as a load balancer shares them out), user i talks to base i mod n."""
    bases = [base] if isinstance(base, str) else base
    sessions = [sign_in(bases[i % len(bases)], u, p) for i, (u, p) in enumerate(users)]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    quota = total // len(sessions)
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def worker(index: int) -> None:
        session = sessions[index]
        for n in range(quota):
            if time.monotonic() > deadline:
                return
            method, path, body = make_request(index, n)
            body = re.sub("CSRF", session.csrf, body)
            start = time.perf_counter()
            response = session.request(
                method,
                path,
                body,
                {
                    "X-CSRFToken": session.csrf,
                    "Referer": bases[index % len(bases)] + path,
                    **(headers or {}),
                },
            )
            elapsed = time.perf_counter() - start
            status = response.status
            if status == 302 and "/accounts/login/" in (response.getheader("Location") or ""):
                status = 401  # signed out: counted apart so a lost session cannot pass as success
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(sessions))]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    return LoadResult(
        len(latencies),
        seconds,
        statuses,
        statistics.median(latencies) * 1000 if latencies else 0.0,
        p95 * 1000,
    )


def result_json(result: LoadResult) -> str:
    return json.dumps({**result.__dict__, "per_second": result.per_second})
