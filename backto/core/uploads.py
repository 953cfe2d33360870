"""Uploaded pictures and videos are checked by what they hold, not only by their name: a file
named .png must be a PNG picture Pillow can read, no larger than a cap on its sides (a small
file can declare a picture of billions of pixels that every PDF would then decode), and never an
SVG or HTML page (which runs script when opened from BackTo's own address). Files stored before
(a form saved again with its picture unchanged) are not read again."""

import warnings
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from PIL import Image, UnidentifiedImageError

FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
SUFFIX_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<")  # SVG, HTML or XML, with or without a byte-order mark


def _new_upload(value: Any) -> IO[bytes] | None:
    """The uploaded file to read, or None for a file stored before."""
    if getattr(value, "_committed", False):
        return None
    return getattr(value, "file", value)


def refuse_markup(file: IO[bytes]) -> None:
    file.seek(0)
    start = file.read(256).lstrip()
    file.seek(0)
    if start.startswith(MARKUP_STARTS):
        raise ValidationError(
            "This file is an SVG, HTML or XML document, not a picture or video: upload a "
            "JPEG, PNG or WebP picture."
        )


def check_picture(file: IO[bytes], *, formats: tuple[str, ...], max_side: int) -> None:
    """ValidationError unless `file` is a picture in one of `formats` (Pillow's names) with
    no side longer than `max_side` pixels."""
    allowed = " or ".join(FORMAT_NAMES.get(f, f) for f in formats)
    refuse_markup(file)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                kind, (width, height) = image.format, image.size
                if kind in formats and max(width, height) <= max_side:
                    image.verify()  # reads the whole file: a damaged one is refused
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"This picture has far too many pixels: at most {max_side} pixels on a side."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(f"This file is not a {allowed} picture that can be read.") from None
    finally:
        file.seek(0)
    if kind not in formats:
        shown = FORMAT_NAMES.get(kind or "", kind or "another kind of")
        raise ValidationError(f"This picture is {shown}; upload a {allowed} picture.")
    if max(width, height) > max_side:
        raise ValidationError(
            f"This picture is {width} × {height} pixels; at most {max_side} pixels on a side. "
            "Make it smaller and upload it again."
        )


@deconstructible
class PictureValidator:
    """A model field validator (for migrations, it compares by its settings)."""

    def __init__(self, formats: tuple[str, ...] = ("JPEG", "PNG"), max_side: int = 2000) -> None:
        self.formats = tuple(formats)
        self.max_side = max_side

    def __call__(self, value: Any) -> None:
        file = _new_upload(value)
        if file is None:
            return
        suffix = SUFFIX_FORMATS.get(Path(getattr(value, "name", "") or "").suffix.lower())
        formats = (suffix,) if suffix in self.formats else self.formats
        check_picture(file, formats=formats, max_side=self.max_side)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PictureValidator) and (self.formats, self.max_side) == (
            other.formats,
            other.max_side,
        )


def check_video(value: Any, *, suffix: str) -> None:
    """ValidationError unless a new upload holds what its name says: an MP4 (an ISO media
    file, `ftyp` at byte 4) or a WebM (a Matroska file, its EBML header first)."""
    file = _new_upload(value)
    if file is None:
        return
    refuse_markup(file)
    start = file.read(12)
    file.seek(0)
    if suffix == ".mp4" and start[4:8] == b"ftyp":
        return
    if suffix == ".webm" and start.startswith(b"\x1a\x45\xdf\xa3"):
        return
    raise ValidationError(f"This file is not an {suffix[1:].upper()} video that can be played.")
