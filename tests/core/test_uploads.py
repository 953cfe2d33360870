"""Uploads are checked by what they hold (backto/core/uploads.py): an exercise picture or video
and a clinic logo must be the picture or video their name says, Pillow must read a picture
whole, its sides are capped, and SVG or HTML is refused whatever its name (it was checked by
extension only: an HTML page named .png was stored and served from BackTo's address)."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from backto.capabilities.homeprogram.models import Exercise, validate_exercise_media
from backto.core.uploads import PictureValidator

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
HTML = b"\n <html><body><script>alert(document.cookie)</script></body></html>"
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 64


def picture(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, kind)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A few bytes whose header declares a picture of width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.png", SVG, "is an SVG, HTML or XML document"),
        ("a.jpg", HTML, "is an SVG, HTML or XML document"),
        ("a.mp4", HTML, "is an SVG, HTML or XML document"),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "not a PNG picture that can be read"),
        ("a.png", picture("PNG")[:60], "not a PNG picture that can be read"),  # cut short
        ("a.png", picture("GIF"), "This picture is GIF; upload a PNG picture."),
        ("a.jpg", picture("PNG"), "This picture is PNG; upload a JPEG picture."),
        ("a.png", picture("PNG", (8193, 2)), "8193 × 2 pixels; at most 8192 pixels on a side"),
        ("a.png", png_claiming(100_000, 100_000), "far too many pixels: at most 8192 pixels"),
        ("a.png", png_claiming(9000, 9000), "9000 × 9000 pixels; at most 8192"),
        ("a.mp4", b"MZ" + b"\x00" * 64, "This file is not an MP4 video that can be played."),
        ("a.webm", MP4, "This file is not an WEBM video that can be played."),
    ],
)
def test_an_exercise_file_that_is_not_what_its_name_says_is_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_exercise_media(upload(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.png", picture("PNG")),
        ("a.jpg", picture("JPEG")),
        ("a.jpeg", picture("JPEG", (8192, 4))),
        ("a.webp", picture("WEBP")),
        ("a.mp4", MP4),
        ("a.webm", WEBM),
    ],
)
def test_a_real_picture_or_video_is_accepted(name, content):
    validate_exercise_media(upload(name, content))


def test_an_html_page_named_png_is_not_stored_from_the_library_page(
    as_user, pat, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = as_user(pat).post(
        reverse("exercise_library"),
        {
            "name": "Odd",
            "category": "functional",
            "instructions": "x",
            "media": upload("odd.png", HTML),
        },
    )
    assert "is an SVG, HTML or XML document" in response.content.decode()
    assert not Exercise.objects.filter(name="Odd").exists() and not any(tmp_path.rglob("*"))


def test_a_stored_file_is_not_read_again():
    class Stored:
        _committed = True
        name = "a.png"

    PictureValidator()(Stored())  # no file to read: it was checked when it came


SETTINGS = {
    "name": "Lakeside Pain Program",
    "help_message": "Call 988, then the clinic at 555-0100.",
    "time_zone": "America/New_York",
    "paper_size": "letter",
    "language": "en",
}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.png",
            picture("PNG", (2001, 100)),
            "2001 × 100 pixels; at most 2000 pixels on a side",
        ),
        ("logo.png", png_claiming(100_000, 100_000), "Upload a valid image"),
        ("logo.png", picture("WEBP"), "This picture is WebP; upload a PNG picture."),
        ("logo.gif", picture("GIF"), "This picture is GIF; upload a PNG or JPEG picture."),
    ],
)
def test_a_clinic_logo_is_a_png_or_jpeg_of_at_most_2000_pixels(
    as_user, ada, clinic, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    response = as_user(ada).post(
        reverse("clinic_settings"), {**SETTINGS, "logo": upload(name, content)}
    )
    assert response.status_code == 200 and message in response.content.decode()
    clinic.refresh_from_db()
    assert not clinic.logo


def test_a_clinic_logo_that_is_a_real_picture_is_kept(as_user, ada, clinic, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logo = upload("logo.png", picture("PNG", (600, 200)))
    response = as_user(ada).post(reverse("clinic_settings"), {**SETTINGS, "logo": logo})
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.logo.name.startswith("clinic-logos/logo")
