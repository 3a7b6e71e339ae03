"""What a signature or a stamp image may be, checked before anything decodes it.

Signatures and stamps arrive from the portal (the customer signs the field form) and
from any RPC client (a technician's ``write``). Odoo's ``fields.Image`` decodes and
resizes what it is given, and PIL refuses a "decompression bomb" (a small file that
declares a huge picture) with an exception the caller never expected: a traceback,
an HTTP 500, or, below PIL's own threshold, hundreds of megabytes of pixels decoded
for a picture stored at 1024 pixels anyway. ``check_image`` refuses such a value
first, with a message naming the field, reading the size from the file's header
only; the pixels are decoded once the header shows they are few.
"""

import base64
import binascii
import io
import struct

from PIL import Image, JpegImagePlugin, PngImagePlugin

from odoo.exceptions import ValidationError

KB = 1024
# A signature is drawn on a screen (a few hundred pixels, some tens of KB as PNG).
SIGNATURE_MAX_BYTES = 512 * KB
SIGNATURE_MAX_PIXELS = 4_000_000
# A stamp is usually a phone photo of the stamped paper (12 megapixels, 2-4 MB as JPEG);
# it is stored shrunk to 512 pixels, so larger photos bring nothing but memory use.
STAMP_MAX_BYTES = 5 * KB * KB
STAMP_MAX_PIXELS = 16_000_000
# Photos of the fault and of the finished work come straight from the phone's camera (up to
# 24 megapixels, 5-8 MB as JPEG); they are stored shrunk to 1024 pixels.
PHOTO_MAX_BYTES = 8 * KB * KB
PHOTO_MAX_PIXELS = 25_000_000

# The file formats a signature pad and a phone camera produce, and the PIL class that
# reads each one's header. Calling the class directly reads the header without PIL's
# global decompression-bomb check, which warns or raises by its own thresholds.
IMAGE_FORMATS = (
    (b"\x89PNG\r\n\x1a\n", PngImagePlugin.PngImageFile),
    (b"\xff\xd8\xff", JpegImagePlugin.JpegImageFile),
)
# What PIL raises on data that is not the image its header announces.
PIL_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    struct.error,
    Image.DecompressionBombError,
)
# Base64 wrapped in lines (base64.encodebytes) is base64 too.
_WHITESPACE = b" \t\n\r\x0b\x0c"


def check_image(env, value, label, max_bytes, max_pixels):
    """Raise a ValidationError naming ``label`` unless ``value`` (base64, str or bytes) is
    a PNG or JPEG image of at most ``max_bytes`` bytes and ``max_pixels`` pixels."""
    if isinstance(value, str):
        value = value.encode("ascii", "replace")
    if not isinstance(value, bytes):
        raise ValidationError(_not_an_image(env, label))
    # Four base64 characters carry three bytes: refuse an oversized value before decoding it.
    data = value if len(value) // 4 * 3 > 2 * max_bytes else value.translate(None, _WHITESPACE)
    if len(data) // 4 * 3 > max_bytes + 3:
        raise ValidationError(_too_heavy(env, label, len(data) // 4 * 3, max_bytes))
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(_not_an_image(env, label)) from None
    if len(raw) > max_bytes:
        raise ValidationError(_too_heavy(env, label, len(raw), max_bytes))
    reader = next((reader for magic, reader in IMAGE_FORMATS if raw.startswith(magic)), None)
    if reader is None:
        raise ValidationError(_not_an_image(env, label))
    try:
        image = reader(io.BytesIO(raw))
    except PIL_ERRORS:
        raise ValidationError(_not_an_image(env, label)) from None
    width, height = image.size
    if width * height > max_pixels:
        raise ValidationError(
            env._(
                "%(field)s is too large: %(width)s × %(height)s pixels, at most %(limit)s megapixels.",
                field=label,
                width=width,
                height=height,
                limit=max_pixels // 1_000_000,
            )
        )
    try:
        # Few pixels, as the header said: decode them to be sure the file is whole.
        image.load()
    except PIL_ERRORS:
        raise ValidationError(_not_an_image(env, label)) from None
    finally:
        image.close()


def _not_an_image(env, label):
    return env._("%(field)s must be a PNG or JPEG image.", field=label)


def _too_heavy(env, label, size, limit):
    return env._(
        "%(field)s is too large: %(size)s KB, at most %(limit)s KB.",
        field=label,
        size=(size + KB - 1) // KB,
        limit=limit // KB,
    )
