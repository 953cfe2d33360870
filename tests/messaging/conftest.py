"""Messaging fixtures: Maya's conversations, pictures made in memory, and a media folder of the
test's own (a sent photo is written to storage)."""

import io
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backto.access.accounts.models import User
from backto.access.patients.models import Episode, Patient
from backto.capabilities.messaging.actions import conversation_for, message_send
from backto.capabilities.messaging.models import Conversation, Message


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def picture(
    size: tuple[int, int] = (64, 48),
    *,
    kind: str = "JPEG",
    mode: str = "RGB",
    exif: Image.Exif | None = None,
    name: str = "ankle.jpg",
) -> SimpleUploadedFile:
    """An uploaded picture made in memory."""
    image = Image.new(mode, size, (200, 120, 90) if mode == "RGB" else (200, 120, 90, 128))
    out = io.BytesIO()
    extra: dict[str, Any] = {"exif": exif.tobytes()} if exif is not None else {}
    image.save(out, kind, **extra)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{kind.lower()}")


def gps_exif() -> Image.Exif:
    """EXIF of a phone's photo: where (GPS), which phone, and turned on its side."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0112] = 6  # Orientation: turned 90 degrees
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (40.0, 44.0, 55.0)
    gps[3] = "W"
    gps[4] = (73.0, 59.0, 11.0)
    return exif


@pytest.fixture
def family(maya: Patient) -> Conversation:
    return conversation_for(patient=maya, kind="family")


@pytest.fixture
def teen_conversation(maya: Patient, maya_teen: User) -> Conversation:
    maya.refresh_from_db()
    return conversation_for(patient=maya, kind="teen")


Send = Callable[..., Message]


@pytest.fixture
def send(episode: Episode) -> Send:
    """send(by, conversation, body="...", **more) -> the message (Maya has a care team)."""

    def sending(
        by: User, conversation: Conversation, body: str = "Her ankle is swollen", **more: Any
    ) -> Message:
        message, created = message_send(
            by=by,
            conversation=conversation,
            body=body,
            idempotency_key=more.pop("idempotency_key", uuid.uuid4()),
            **more,
        )
        assert created
        return message

    return sending
