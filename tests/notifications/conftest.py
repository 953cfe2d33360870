"""A local stand-in for a push service and for Twilio: an HTTP server on 127.0.0.1, started
by the test, that records each request and answers with the status the test sets."""

import base64
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class Stub:
    url: str
    requests: list[Received] = field(default_factory=list)
    status: int = 201
    answer: dict[str, Any] = field(default_factory=lambda: {"sid": "SM1", "status": "queued"})


@pytest.fixture
def stub_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stub]:
    # Straight to 127.0.0.1, never through a proxy the machine may name.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    stub = Stub(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            stub.requests.append(
                Received(
                    "POST",
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
            )
            body = json.dumps(stub.answer).encode()
            self.send_response(stub.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Device:
    """A browser's side of a push subscription: its key pair and auth secret, to decrypt."""

    private_key: ec.EllipticCurvePrivateKey
    p256dh: str
    auth_secret: bytes
    auth: str


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def device() -> Device:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    secret = os.urandom(16)
    return Device(key, b64(public), secret, b64(secret))


@pytest.fixture
def vapid_settings(settings: Any) -> Any:
    from backto.capabilities.notifications.vapid import generate_pair

    settings.BACKTO_VAPID_PUBLIC_KEY, settings.BACKTO_VAPID_PRIVATE_KEY = generate_pair()
    settings.BACKTO_VAPID_SUBJECT = "mailto:clinic@example.org"
    return settings
