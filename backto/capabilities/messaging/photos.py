"""A photo sent in a conversation (a swollen ankle, a school note): checked by what it holds,
turned upright, made smaller and stored as a fresh JPEG that carries nothing but the picture.

A phone's photo says where and when it was taken (EXIF, GPS), which phone took it, and may hold
a colour profile or comments: none of it belongs in a child's record, and none of it is kept.
The check reads the file before anything is decoded, so a file that is not a picture, an SVG, or
a small file declaring a picture of billions of pixels is refused with a message naming what is
allowed."""

import io
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from backto.core.uploads import check_picture

FORMATS = ("JPEG", "PNG", "WEBP")
MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE_SENT = 8000  # pixels a side of the picture sent
MAX_SIDE_KEPT = 1600  # pixels on the longer side of the picture kept
JPEG_QUALITY = 85
ALLOWED = gettext_lazy("a JPEG, PNG or WebP picture of at most 10 MB")


def _refuse(message: str) -> ValidationError:
    return ValidationError({"photo": [message]})


def photo_prepare(upload: Any) -> ContentFile[bytes]:
    """The photo to store for an uploaded file, or a ValidationError on the field "photo"."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(
            _(
                "This photo is %(size)s MB; send %(allowed)s (a phone's “medium” or “large” size is fine)."
            )
            % {"size": f"{size / (1024 * 1024):.1f}", "allowed": ALLOWED}
        )
    file: IO[bytes] = getattr(upload, "file", upload)
    try:
        check_picture(file, formats=FORMATS, max_side=MAX_SIDE_SENT)
    except ValidationError as error:
        must = _("The photo must be %(allowed)s.") % {"allowed": ALLOWED}
        raise _refuse(" ".join([*error.messages, must])) from None
    try:
        with Image.open(file) as opened:
            upright = ImageOps.exif_transpose(opened)
            upright.thumbnail((MAX_SIDE_KEPT, MAX_SIDE_KEPT), Image.Resampling.LANCZOS)
            picture = _flattened(upright)
    except (OSError, ValueError, SyntaxError):
        raise _refuse(
            _("This photo could not be read. The photo must be %(allowed)s.") % {"allowed": ALLOWED}
        ) from None
    finally:
        file.seek(0)
    # A new image made of the pixels only: nothing of the file sent (its EXIF, GPS, colour
    # profile, comments) travels with it, and the JPEG is written without any of them.
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


def _flattened(image: Image.Image) -> Image.Image:
    """The picture as plain RGB: a transparent part (a PNG screenshot) becomes white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")
