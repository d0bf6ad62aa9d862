"""Lead images: checked, cleaned and cut into renditions once, when uploaded.

An upload is decoded in full when it is checked, so a damaged or incomplete file is a
form error rather than a failed save, and nothing reaches storage before the whole
image has been read. What is stored is the picture alone, re-encoded from its pixels
in its own format: its EXIF orientation applied, its ICC profile kept, a JPEG with its
own quantisation tables (`quality="keep"`), and nothing else: no EXIF (GPS or any
other), XMP, IPTC, comments, text chunks, nor bytes hidden after the image data. The
renditions come from the same decode.
"""

import contextlib
import math
import re
import secrets
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.crypto import salted_hmac
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Decoding costs memory and time by the pixel, whatever the file's size: a 116 KB
# PNG can hold 40 megapixels. bench/images.py measures what each format costs; the
# bounds admit every current press camera's JPEG (up to 50 MP: Canon R5, Nikon Z 8,
# Sony A1) and 4K-and-more graphics, charts and maps in the other formats, whose
# decoders cost more per pixel (WebP's three times JPEG's memory).
MAX_PIXELS = {
    "JPEG": 50_000_000,
    "PNG": 16_000_000,
    "WEBP": 16_000_000,
    "GIF": 16_000_000,
}
ALLOWED_FORMATS = set(MAX_PIXELS)
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# Longer or narrower than this cannot make sensible renditions (a 480-pixel-wide
# rendition of a 1:40 strip would be taller than WebP allows).
MAX_ASPECT = 25

DAMAGED = (
    "This image is damaged or incomplete: it could not be read to the end. Export it "
    "again from the original (or download it again) and upload the new file."
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


@dataclass
class Rendition:
    width: int
    height: int
    files: dict  # {"webp": bytes, "jpeg": bytes}


@dataclass
class CleanImage:
    """An upload that passed every check: what to store, and its renditions."""

    content: bytes
    extension: str
    width: int
    height: int
    renditions: list = field(default_factory=list)
    # Set once the files are in storage: {"name": ..., "renditions": {...}}.
    stored: dict | None = None


# The checked result rides on the upload object, so the form, the model's own
# validation and services.save_story() decode it once between them.
CLEAN_ATTRIBUTE = "_newsroom_clean_image"


def validate_image_file(file):
    if isinstance(file, FieldFile):
        if file._committed:
            # Already in storage: it was checked when it was uploaded. Saving a
            # story again must not read (or refuse) its stored image.
            return
        file = file.file
    clean_upload(file)


def clean_upload(file):
    """Check an upload in full and make what will be stored; ValidationError if it
    is not a picture we accept. The result is kept on the upload."""
    cached = getattr(file, CLEAN_ATTRIBUTE, None)
    if cached is not None:
        return cached
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This image is {filesizeformat(file.size)}; the limit is "
            f"{filesizeformat(MAX_UPLOAD_BYTES)}. Export a smaller version and try again."
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    with decode(data) as image:
        image_format = image.format
        try:
            keep = kept_for_encoding(image, data)
            ImageOps.exif_transpose(image, in_place=True)
            renditions = make_renditions(image, icc_profile=keep.get("icc_profile"))
            content = encode_original(image, keep)
        except ValidationError:
            raise
        except Exception as exc:
            raise ValidationError(
                "This image could not be processed. Export it as an ordinary JPEG "
                "or PNG and try again."
            ) from exc
        clean = CleanImage(
            content=content,
            extension=EXTENSIONS[image_format],
            width=image.width,
            height=image.height,
            renditions=renditions,
        )
    setattr(file, CLEAN_ATTRIBUTE, clean)
    return clean


def decode(data):
    """The image's first frame, decoded in full, within the pixel bounds."""
    try:
        image = Image.open(BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            "This image has too many pixels to be processed. Export a smaller "
            "version and try again."
        ) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError("This file is not an image we can read.") from exc
    except Exception as exc:
        # Pillow recognised the format but could not read the header.
        raise ValidationError(DAMAGED) from exc
    try:
        check_bounds(image)
        image.load()  # the first frame only: an animation is shown still
    except ValidationError:
        image.close()
        raise
    except Exception as exc:
        image.close()
        raise ValidationError(DAMAGED) from exc
    return image


def check_bounds(image):
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.")
    width, height = image.size
    limit = MAX_PIXELS[image.format]
    if width * height > limit:
        raise ValidationError(
            f"This image is {width}×{height} pixels "
            f"({math.ceil(width * height / 100_000) / 10:.1f} megapixels); the limit "
            f"for a {FORMAT_NAMES[image.format]} image is {limit // 1_000_000} "
            "megapixels. Export a smaller version and try again."
        )
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise ValidationError(
            f"This image is {width}×{height} pixels: too long and narrow to show as "
            "a lead image. Crop it and try again."
        )


def kept_for_encoding(image, data):
    """What the stored copy keeps besides pixels: the colour profile, transparency,
    and for a JPEG its own quantisation tables and chroma subsampling."""
    keep = {"format": image.format}
    if image.info.get("icc_profile"):
        keep["icc_profile"] = image.info["icc_profile"]
    if image.format in ("PNG", "GIF") and "transparency" in image.info:
        keep["transparency"] = image.info["transparency"]
    if image.format == "JPEG":
        keep["quality"] = "keep"  # the same tables: no loss beyond rounding
        keep["progressive"] = bool(image.info.get("progressive"))
    if image.format == "WEBP":
        keep["lossless"] = webp_is_lossless(data)
    return keep


def encode_original(image, keep):
    """The picture alone, re-encoded in its own format: no EXIF (orientation is
    applied to the pixels), XMP, IPTC, comments, text chunks, nor anything after
    the image data."""
    # Pillow carries some of an image's info (a JPEG comment, a PNG's profile) into
    # what it writes: start from nothing and pass only what is kept.
    image.info = {}
    image_format = keep.pop("format")
    options = {"WEBP": {"method": 2, "quality": 90}, "PNG": {"compress_level": 3}}
    options = {**options.get(image_format, {}), **keep}
    if options.get("lossless"):
        options["quality"] = 60  # lossless effort, not fidelity
    buffer = BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def webp_is_lossless(data):
    """Whether a WebP file holds a lossless (VP8L) bitstream."""
    position = 12  # after "RIFF", the size and "WEBP"
    while position + 8 <= len(data):
        chunk = data[position : position + 4]
        if chunk == b"VP8L":
            return True
        if chunk == b"VP8 ":
            return False
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        position += 8 + size + (size & 1)
    return False


def icc_colour_space(profile):
    """The colour space an ICC profile describes (b"RGB ", b"CMYK", b"GRAY")."""
    return profile[16:20] if profile and len(profile) >= 20 else None


def display_image(image, icc_profile=None):
    """The picture as readers see it: 8-bit RGB with any transparency on white,
    cheaply (box filter) reduced to twice the widest rendition."""
    picture = image
    if picture.mode in ("I;16", "I;16B", "I;16L", "I"):
        picture = picture.convert("I").point(lambda value: value * (1 / 256))
        picture = picture.convert("L")
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or ("transparency" in picture.info)
    if has_alpha:
        picture = picture.convert("RGBA")
    elif picture.mode not in ("RGB", "CMYK"):
        picture = picture.convert("RGB")
    factor = picture.width // (2 * min(RENDITION_WIDTHS[-1], picture.width))
    if factor >= 2:
        picture = picture.reduce(factor)
    if picture.mode == "CMYK":
        picture = cmyk_to_rgb(picture, icc_profile)
    if has_alpha:
        flat = Image.new("RGB", picture.size, (255, 255, 255))
        flat.paste(picture, mask=picture.getchannel("A"))
        picture = flat
    picture.info = {}
    return picture


def cmyk_to_rgb(picture, icc_profile):
    """Through the picture's own CMYK profile when it has one (a print workflow's
    JPEG), else Pillow's plain conversion."""
    if icc_colour_space(icc_profile) == b"CMYK":
        try:
            return ImageCms.profileToProfile(
                picture,
                ImageCms.ImageCmsProfile(BytesIO(icc_profile)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    return picture.convert("RGB")


def make_renditions(image, *, icc_profile=None):
    """Renditions of a decoded, upright image at each width, narrowest first; never
    wider than the image itself. An RGB colour profile goes with them, so a
    wide-gamut photo keeps its colours."""
    width, height = image.size
    picture = display_image(image, icc_profile)
    extra = {}
    if icc_colour_space(icc_profile) == b"RGB ":
        extra["icc_profile"] = icc_profile
    renditions = []
    for target in sorted({min(w, width) for w in RENDITION_WIDTHS}):
        target_height = max(1, round(height * target / width))
        resized = picture.resize((target, target_height), Image.Resampling.LANCZOS)
        files = {}
        for key, (image_format, options) in RENDITION_FORMATS.items():
            buffer = BytesIO()
            resized.save(buffer, image_format, **options, **extra)
            files[key] = buffer.getvalue()
        renditions.append(Rendition(target, target_height, files))
    return renditions


# Where uploads and renditions are written (what clean_media looks through).
UPLOAD_FOLDERS = ("lead-images", "renditions")


def rendition_names(renditions):
    """The stored names a story's renditions list: the source and every file."""
    renditions = renditions or {}
    names = {renditions["source"]} if renditions.get("source") else set()
    for size in renditions.get("sizes") or []:
        names |= {size[key] for key in ("webp", "jpeg") if size.get(key)}
    return names


def lead_image_path(instance, filename):
    """lead-images/YYYY/MM/<random>.<ext>: how uploads were named before names
    carried a content hash (content_name), kept for the field's `upload_to` (the
    migrations name it) and for files Django itself would store. 144 random bits;
    the extension stays readable."""
    extension = PurePosixPath(filename).suffix.lower() or ".jpg"
    month = timezone.now().strftime("%Y/%m")
    return f"lead-images/{month}/{secrets.token_urlsafe(18)}{extension}"


# Stored names: content-hashed (now), and random per upload (before; still read).
STORED_NAME = re.compile(
    r"lead-images/(?:[0-9a-f]{2}/[0-9a-f]{40}|\d{4}/\d{2}/[A-Za-z0-9_-]{24})"
    r"\.(jpg|png|webp|gif)"
)
RENDITION_NAME = re.compile(r"renditions/[0-9a-f]{2}/[0-9a-f]{40}-\d+w\.(webp|jpg)")
NAME_SALT = "articles.images.content-name"


def content_name(folder, content, suffix):
    """<folder>/<h[:2]>/<h><suffix>, h a keyed hash of the bytes (160 bits).

    The same bytes always get the same name and a name never holds other bytes, so
    browsers, CDNs and the object store may cache a file for ever, and the same
    picture uploaded twice is stored once. The hash is keyed with SECRET_KEY
    (Django's salted HMAC): an unpublished story's image cannot be found by
    guessing its address, even by someone who holds the same picture, as with the
    random names before. The first two characters spread files over 256 folders.
    """
    digest = salted_hmac(NAME_SALT, content, algorithm="sha256").hexdigest()[:40]
    return f"{folder}/{digest[:2]}/{digest}{suffix}"


def _store(storage, name, content, written):
    """Write `content` under its content name unless it is there already (the
    same bytes, by construction); record what this call wrote."""
    if storage.exists(name):
        return name
    saved = storage.save(name, ContentFile(content))
    written.append(saved)
    return saved


def _store_renditions(renditions, storage, written):
    sizes = []
    for rendition in renditions:
        entry = {"width": rendition.width, "height": rendition.height}
        for key, content in rendition.files.items():
            suffix = f"-{rendition.width}w.{key.replace('jpeg', 'jpg')}"
            name = content_name("renditions", content, suffix)
            entry[key] = _store(storage, name, content, written)
        sizes.append(entry)
    return sizes


def store_clean_image(clean, *, storage):
    """Write the image and its renditions; on failure remove what this call wrote
    (never a file that was there already: another story may show it) and raise.
    Returns (and records on `clean`) the stored names."""
    written = []
    try:
        name = content_name("lead-images", clean.content, f".{clean.extension}")
        name = _store(storage, name, clean.content, written)
        sizes = _store_renditions(clean.renditions, storage, written)
    except BaseException:
        for stored_name in written:
            # Whatever cannot be removed now, clean_media removes later.
            with contextlib.suppress(Exception):
                storage.delete(stored_name)
        raise
    clean.stored = {
        "name": name,
        "renditions": {
            "source": name,
            "width": clean.width,
            "height": clean.height,
            # The source's size, for feeds' enclosures: no request to storage.
            "bytes": len(clean.content),
            "sizes": sizes,
        },
    }
    return clean.stored


def build_renditions(fieldfile, storage=None):
    """Make the WebP and JPEG renditions of an image already in storage (one that
    has none yet, stored under any name) and list them.

    Returns {"source": name, "width": w, "height": h, "bytes": n, "sizes": [{"width",
    "height", "webp", "jpeg"}, ...]} with storage names, narrowest first.
    """
    storage = storage or fieldfile.storage
    with storage.open(fieldfile.name, "rb") as stored:
        data = stored.read()
    with decode(data) as original:
        icc_profile = original.info.get("icc_profile")
        ImageOps.exif_transpose(original, in_place=True)
        renditions = make_renditions(original, icc_profile=icc_profile)
        width, height = original.size
    sizes = _store_renditions(renditions, storage, [])
    return {
        "source": fieldfile.name,
        "width": width,
        "height": height,
        "bytes": len(data),
        "sizes": sizes,
    }


def prepare_lead_image(article):
    """Before a story is saved: store a new upload (checked in full, cleaned) with
    its renditions, or make renditions once for a stored image that has none.
    Called from services.save_story(); a bad upload raises ValidationError
    before anything is written."""
    image = article.lead_image
    if not image:
        article.lead_image_renditions = {}
        return
    if image._committed:
        if (article.lead_image_renditions or {}).get("source") == image.name:
            return
        article.lead_image_renditions = build_renditions(image)
        if not (article.lead_image_width and article.lead_image_height):
            # A file written to storage before the story leaves the size unset,
            # and Django would then read the file on every load.
            article.lead_image_width = article.lead_image_renditions["width"]
            article.lead_image_height = article.lead_image_renditions["height"]
        return
    clean = clean_upload(image.file)
    stored = clean.stored or store_clean_image(clean, storage=image.storage)
    # Point the field at the stored file without going through its descriptor,
    # which would open the file again to read its size (ImageFieldFile.save does
    # the same).
    article.__dict__[image.field.attname] = stored["name"]
    article.lead_image_width = clean.width
    article.lead_image_height = clean.height
    article.lead_image_renditions = stored["renditions"]


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
