"""Checks on uploaded images, so only real pictures of sane size are stored."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Pillow refuses larger images as decompression bombs; keep well below its own limit.
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image_file(file):
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This image is {filesizeformat(file.size)}; the limit is "
            f"{filesizeformat(MAX_UPLOAD_BYTES)}. Export a smaller version and try again."
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with Image.open(file) as image:
            width, height = image.size
            image_format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            "This image has too many pixels to be processed."
        ) from exc
    except Exception as exc:
        raise ValidationError("This file is not an image we can read.") from exc
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            f"This image is {width}×{height} pixels; the limit is "
            f"{MAX_PIXELS // 1_000_000} megapixels."
        )
