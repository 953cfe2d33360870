"""The server's VAPID key pair, which signs every Web Push request (RFC 8292).

From the settings BACKTO_VAPID_PUBLIC_KEY and BACKTO_VAPID_PRIVATE_KEY (base64url: the public
key's uncompressed P-256 point, the private key's 32-byte number; `backto vapid_keys` prints a new
pair). When they are unset, as under `make run`, a pair is generated once into
VAR_DIR/vapid-keys.json (readable by the server's user only) and kept: a device subscribed with
one public key stops receiving pushes when the key changes, so the pair must stay.
"""

import base64
import json
import os
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

KEY_FILE = "vapid-keys.json"


@dataclass(frozen=True)
class VapidKeys:
    public: str
    private: str
    subject: str


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generate_pair() -> tuple[str, str]:
    """A new (public, private) pair, base64url without padding."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return _b64(public), _b64(private)


def _subject() -> str:
    subject = getattr(settings, "BACKTO_VAPID_SUBJECT", "")
    if subject:
        return str(subject)
    return f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"


def keys() -> VapidKeys:
    public = getattr(settings, "BACKTO_VAPID_PUBLIC_KEY", "")
    private = getattr(settings, "BACKTO_VAPID_PRIVATE_KEY", "")
    if public and private:
        return VapidKeys(public, private, _subject())
    path = Path(settings.VAR_DIR) / KEY_FILE
    if not path.exists():
        public, private = generate_pair()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker wrote it first: theirs is the pair
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                json.dump({"public": public, "private": private}, file)
    stored = json.loads(path.read_text())
    return VapidKeys(stored["public"], stored["private"], _subject())
