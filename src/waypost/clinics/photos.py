"""Checking and cleaning a clinician's photo before it is stored.

Uploaded files are never trusted: the bytes must decode as a PNG, JPEG or
WebP picture of sane dimensions. The picture is then re-encoded, which drops
whatever else the file carried (location and camera metadata, trailing data)
and scales it down to a size the directory needs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from waypost.core.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuses decompression bombs long before Pillow's own limit
MAX_SIDE = 1024  # the directory shows 160 px; this leaves room for sharp screens
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class PhotoError(DomainError):
    """The upload is not a photo we accept; the message says why, kindly."""

    code = "photo_refused"


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    extension: str  # "png", "jpg" or "webp"


def clean_photo(data: bytes) -> CleanPhoto:
    """Validate ``data`` as a PNG, JPEG or WebP picture of at most 5 MB and re-encode it."""
    if len(data) > MAX_BYTES:
        raise PhotoError(_("This photo is larger than 5 MB. Please choose a smaller one."))
    not_a_picture = PhotoError(
        _("This file doesn't look like a picture we can use. Please choose a PNG, JPEG or WebP.")
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
    except Exception:  # Pillow raises many types for broken files; all mean the same here
        raise not_a_picture from None
    if kind not in EXTENSIONS:
        raise not_a_picture
    if width * height > MAX_PIXELS or width < 1 or height < 1:
        raise PhotoError(_("This picture is too large to handle. Please choose a smaller one."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = ImageOps.exif_transpose(image) or image
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            has_alpha = picture.mode in ("RGBA", "LA") or "transparency" in picture.info
            if kind == "JPEG" or not has_alpha:
                picture = picture.convert("RGB")
            else:
                picture = picture.convert("RGBA")
            out = io.BytesIO()
            options = {"quality": 85} if kind in ("JPEG", "WEBP") else {"optimize": True}
            picture.save(out, format=kind, **options)
    except Exception:
        raise not_a_picture from None
    return CleanPhoto(out.getvalue(), EXTENSIONS[kind])
