"""Talking to the server as a browser does, and what a probe found: every probe's requests and
answers go through here, so that a broken connection is an answer (status 0), not a crash."""

from __future__ import annotations

import contextlib
import http.client
import io
import re
import time
import traceback
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bench.load import Session, sign_in
from bench.security.deployment import PASSWORD

THREADS = 6  # concurrent connections of a probe
CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*|(csrftoken=)[^;"]*')


class KeptConnection(http.client.HTTPConnection):
    """Keeps each response's body as `response.body` (Session.request reads and drops it)."""

    def getresponse(self) -> http.client.HTTPResponse:
        response = super().getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        return response


@dataclass
class Reply:
    status: int  # 0: the connection broke
    body: bytes
    location: str = ""
    content_type: str = ""
    seconds: float = 0.0


def browser(base: str, cookies: dict[str, str] | None = None) -> Session:
    parts = urllib.parse.urlsplit(base)
    connection = KeptConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    return Session(connection, dict(cookies or {}))


def call(
    session: Session,
    method: str,
    path: str,
    body: str | bytes = "",
    headers: dict[str, str] | None = None,
) -> Reply:
    try:
        # Session.request sends bytes as they are (a file upload) though it says str.
        response = session.request(
            method,
            path,
            body,  # type: ignore[arg-type]
            {"Referer": "http://127.0.0.1/", **(headers or {})},
        )
    except (OSError, http.client.HTTPException) as error:
        session.conn.close()
        return Reply(0, repr(error).encode())
    return Reply(
        response.status,
        response.body,  # type: ignore[attr-defined]
        response.getheader("Location") or "",
        response.getheader("Content-Type") or "",
    )


def persona_session(base: str, username: str) -> Session:
    session = sign_in(base, username, PASSWORD)
    session.conn = KeptConnection(session.conn.host, session.conn.port, timeout=60)
    return session


def form_body(session: Session, fields: dict[str, object] | Sequence[tuple[str, object]]) -> str:
    pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
    return urllib.parse.urlencode([*pairs, ("csrfmiddlewaretoken", session.csrf)], doseq=True)


def multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    boundary = "probe" + uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode("utf-8", "surrogatepass") + b"\r\n")
    for name, filename, content in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# --- results ---------------------------------------------------------------------------------


@dataclass
class Probe:
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    holes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def hole(self, text: str) -> None:
        self.holes.append(text)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def line(self) -> str:
        counts = ", ".join(f"{n:,} {key}" for key, n in self.counts.items())
        verdict = "PASS" if not self.holes else f"FAIL ({len(self.holes)} holes)"
        return f"{verdict} {self.name}: {counts} ({self.seconds:.1f} s)"


@contextlib.contextmanager
def timed(probe: Probe) -> Iterator[Probe]:
    started = time.perf_counter()
    try:
        yield probe
    except Exception as error:  # a probe that cannot finish found something, or broke: say so
        where = traceback.extract_tb(error.__traceback__)[-1]
        probe.hole(f"the probe stopped: {error!r} (line {where.lineno}: {where.line})")
    finally:
        probe.seconds = time.perf_counter() - started


@dataclass
class Seen:
    counts: Counter = field(default_factory=Counter)
    holes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    matrix: dict[tuple[str, str], Counter] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)  # server errors: who got them


def normalized(body: bytes) -> bytes:
    return CSRF_VALUE.sub(rb"\1\2", body)


def same(mine: Reply, ghost: Reply) -> bool:
    return mine.status == ghost.status and normalized(mine.body) == normalized(ghost.body)


def first_difference(mine: bytes, ghost: bytes) -> str:
    ours, theirs = normalized(mine).splitlines(), normalized(ghost).splitlines()
    for n, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"; the pages differ at line {n + 1}: {a.strip()[:80]!r} / {b.strip()[:80]!r}"
    return "" if len(ours) == len(theirs) else "; the pages differ in length"
