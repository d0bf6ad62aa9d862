"""Checks on uploaded images, so only real pictures of sane size are stored."""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Pillow refuses larger images as decompression bombs; keep well below its own limit.
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image_file(file):
    if isinstance(file, FieldFile) and file._committed:
        # Already in storage: it was checked when it was uploaded. Saving a story
        # again must not read (or refuse) its stored image.
        return
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


# Renditions: a small module of our own rather than a thumbnail library. We need
# exactly one thing (a few fixed widths in WebP and JPEG, made once when the image
# is saved, listed on the story so pages never touch storage); sorl-thumbnail and
# easy-thumbnails make renditions lazily on first request and keep their own
# key-value store, which is the per-request work and the moving part we avoid.
RENDITION_WIDTHS = (480, 800, 1200)
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 75, "method": 4}),
    "jpeg": ("JPEG", {"quality": 80, "optimize": True, "progressive": True}),
}
GPS_IFD = 0x8825


def strip_location(upload):
    """The upload re-saved without EXIF GPS, or None when it carries no GPS.

    JPEGs are re-saved with their own quantisation tables (`quality="keep"`), so
    the picture does not lose quality; the ICC profile and other EXIF tags stay.
    """
    upload.seek(0)
    with Image.open(upload) as image:
        exif = image.getexif()
        if GPS_IFD not in exif:
            upload.seek(0)
            return None
        del exif[GPS_IFD]
        options = {"exif": exif.tobytes()}
        if image.info.get("icc_profile"):
            options["icc_profile"] = image.info["icc_profile"]
        if image.format == "JPEG":
            options["quality"] = "keep"
        buffer = BytesIO()
        image.save(buffer, image.format, **options)
    upload.seek(0)
    return ContentFile(buffer.getvalue())


def build_renditions(fieldfile, storage=None):
    """Make the WebP and JPEG renditions of a stored image and list them.

    Returns {"source": name, "width": w, "height": h, "sizes": [{"width", "height",
    "webp", "jpeg"}, ...]} with storage names, narrowest first.
    """
    storage = storage or fieldfile.storage
    stem = PurePosixPath(fieldfile.name).with_suffix("").as_posix()
    fieldfile.open("rb")
    try:
        with Image.open(fieldfile) as original:
            original.seek(0)  # the first frame of an animation
            image = ImageOps.exif_transpose(original).convert("RGBA")
    finally:
        fieldfile.close()
    flat = Image.new("RGB", image.size, (255, 255, 255))
    flat.paste(image, mask=image.getchannel("A"))
    widths = sorted({min(width, flat.width) for width in RENDITION_WIDTHS})
    sizes = []
    for width in widths:
        height = max(1, round(flat.height * width / flat.width))
        resized = flat.resize(
            (width, height), Image.Resampling.LANCZOS, reducing_gap=2.0
        )
        entry = {"width": width, "height": height}
        for key, (image_format, options) in RENDITION_FORMATS.items():
            buffer = BytesIO()
            resized.save(buffer, image_format, **options)
            name = f"renditions/{stem}-{width}w.{key.replace('jpeg', 'jpg')}"
            entry[key] = storage.save(name, ContentFile(buffer.getvalue()))
        sizes.append(entry)
    return {
        "source": fieldfile.name,
        "width": flat.width,
        "height": flat.height,
        "sizes": sizes,
    }


def prepare_lead_image(article):
    """Before a story is saved: drop GPS from a fresh upload, and make renditions
    once for an image that has none yet. Called from Article.save()."""
    image = article.lead_image
    if not image:
        article.lead_image_renditions = {}
        return
    if (article.lead_image_renditions or {}).get("source") == image.name:
        return
    if not image._committed:
        content = strip_location(image.file) or image.file
        image.save(PurePosixPath(image.name).name, content, save=False)
        # Saving the file clears the width and height fields; read them again.
        article._meta.get_field("lead_image").update_dimension_fields(
            article, force=True
        )
    article.lead_image_renditions = build_renditions(article.lead_image)
    if not (article.lead_image_width and article.lead_image_height):
        # A file written to storage before the story (load_demo does) leaves the
        # size unset, and Django would then read the file on every load.
        article.lead_image_width = article.lead_image_renditions["width"]
        article.lead_image_height = article.lead_image_renditions["height"]


def picture(article):
    """What a <picture> needs: srcsets, a fallback, the rendered size; or None."""
    renditions = article.lead_image_renditions or {}
    sizes = renditions.get("sizes")
    if not article.lead_image or not sizes:
        return None
    storage = article.lead_image.storage

    def srcset(key):
        return ", ".join(f"{storage.url(s[key])} {s['width']}w" for s in sizes)

    fallback = next((s for s in sizes if s["width"] >= 800), sizes[-1])
    return {
        "webp_srcset": srcset("webp"),
        "jpeg_srcset": srcset("jpeg"),
        "src": storage.url(fallback["jpeg"]),
        "width": fallback["width"],
        "height": fallback["height"],
        "largest": storage.url(sizes[-1]["jpeg"]),
        "all_jpeg": [storage.url(s["jpeg"]) for s in reversed(sizes)],
    }
