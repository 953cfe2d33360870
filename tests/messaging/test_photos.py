"""A sent photo is checked, turned upright, made smaller and kept with nothing but its pixels
(backto/capabilities/messaging/photos.py)."""

import io
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backto.access.accounts.models import User
from backto.capabilities.messaging import actions
from backto.capabilities.messaging.models import Conversation, Message
from backto.capabilities.messaging.photos import MAX_BYTES, photo_prepare
from tests.messaging.conftest import Send, gps_exif, picture


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_phones_photo_loses_its_gps_and_every_other_tag_and_stands_upright() -> None:
    sent = picture((3000, 2000), exif=gps_exif())
    assert opened(sent.read()).getexif().get_ifd(0x8825)  # the photo sent says where it was taken
    sent.seek(0)
    kept = opened(photo_prepare(sent).read())
    assert kept.format == "JPEG"
    assert kept.size == (1067, 1600)  # turned upright (it was on its side), longer side 1600
    assert len(kept.getexif()) == 0
    assert not kept.getexif().get_ifd(0x8825)
    assert "exif" not in kept.info and "icc_profile" not in kept.info
    assert "comment" not in kept.info


def test_a_small_png_with_transparency_is_kept_as_it_is_sized_on_white() -> None:
    kept = opened(photo_prepare(picture((40, 30), kind="PNG", mode="RGBA", name="a.png")).read())
    assert (kept.format, kept.size, kept.mode) == ("JPEG", (40, 30), "RGB")


def test_webp_is_taken() -> None:
    assert opened(photo_prepare(picture(kind="WEBP", name="a.webp")).read()).format == "JPEG"


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (
            SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
            "SVG, HTML or XML",
        ),
        (SimpleUploadedFile("x.jpg", b"not a picture at all"), "not a JPEG or PNG or WebP"),
        (picture((8001, 10), kind="PNG", name="wide.png"), "at most 8000 pixels on a side"),
        (picture(kind="GIF", name="x.gif"), "This picture is GIF"),
    ],
    ids=["svg", "not-a-picture", "too-many-pixels", "gif"],
)
def test_what_is_not_an_allowed_picture_is_refused_with_a_message(upload: Any, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        photo_prepare(upload)
    message = " ".join(refused.value.message_dict["photo"])
    assert words in message
    assert "JPEG, PNG or WebP picture of at most 10 MB" in message


def test_a_file_over_10_mb_is_refused_before_it_is_read() -> None:
    big = SimpleUploadedFile("big.jpg", b"\xff" * (MAX_BYTES + 1))
    with pytest.raises(ValidationError) as refused:
        photo_prepare(big)
    assert "10.0 MB" in refused.value.message_dict["photo"][0]


def test_a_sent_photo_is_stored_under_a_random_name(
    gina: User, family: Conversation, send: Send, media: Any
) -> None:
    message = send(gina, family, "", photo=picture(exif=gps_exif(), name="Maya ankle.jpg"))
    assert message.photo.name.startswith("messages/") and "Maya" not in message.photo.name
    with message.photo.open("rb") as stored:
        assert not opened(stored.read()).getexif()


def test_a_refused_photo_writes_nothing(gina: User, family: Conversation, media: Any) -> None:
    with pytest.raises(ValidationError):
        actions.message_send(
            by=gina,
            conversation=family,
            body="Look",
            photo=SimpleUploadedFile("x.svg", b"<svg></svg>"),
            idempotency_key=uuid.uuid4(),
        )
    assert not Message.objects.exists()
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
