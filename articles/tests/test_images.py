"""Lead images: location metadata stripped on upload, renditions made once, markup."""

import functools
import re
from html.parser import HTMLParser

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from articles import images, services
from articles.models import Article
from articles.tests.factories import (
    ArticleFactory,
    checked_picture,
    gps_exif,
    image_file,
)

pytestmark = pytest.mark.django_db


XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="16,16.0N" '
    b'exif:GPSLongitude="0,3.0W"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
AFTER_THE_END = b"TRAILER: shot at 16.27N 0.05W by a stringer"
# Every byte string below is somewhere in the uploaded files and must not be stored.
LEAKS = [
    b"GPSLatitude",
    b"16,16.0N",
    b"Sahel Camera Co",
    b"Gao",
    b"Photoshop 3.0",
    b"Ansongo road",
    b"TRAILER",
]


@functools.cache  # the profile records when it was made: one per run
def srgb_profile():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def iptc_segment():
    """A JPEG APP13 segment (Photoshop IRB) holding IPTC City and Sub-location."""
    records = b""
    for dataset, value in [(90, b"Gao"), (92, b"Ansongo road")]:
        records += bytes([0x1C, 2, dataset]) + len(value).to_bytes(2, "big") + value
    if len(records) % 2:
        records += b"\0"
    block = b"8BIM\x04\x04\0\0" + len(records).to_bytes(4, "big") + records
    body = b"Photoshop 3.0\0" + block
    return b"\xff\xed" + (len(body) + 2).to_bytes(2, "big") + body


def photo(size=(300, 200), seed=7):
    """A photo-like picture: smooth shapes in colour, with a little grain. The same
    every time (seeded), so what a test measures on it does not vary."""
    import random

    from PIL import ImageChops

    rng = random.Random(seed)

    def noise(width, height, spread):
        values = bytes(
            128 + rng.randint(-spread, spread) for _ in range(width * height)
        )
        return Image.frombytes("L", (width, height), values)

    shapes = noise(size[0] // 8, size[1] // 8, 120)
    red = shapes.resize(size, Image.Resampling.BICUBIC)
    green = shapes.rotate(180).resize(size, Image.Resampling.BICUBIC)
    grain = noise(*size, 10)
    return Image.merge(
        "RGB", [ImageChops.add(red, grain, 2), green, ImageChops.add(red, green, 2)]
    )


def jpeg_with_everything(size=(300, 200), orientation=None):
    from io import BytesIO

    exif = Image.Exif()
    exif.load(gps_exif())
    if orientation:
        exif[0x0112] = orientation
    buffer = BytesIO()
    photo(size).save(
        buffer,
        "JPEG",
        quality=87,
        exif=exif.tobytes(),
        xmp=XMP,
        icc_profile=srgb_profile(),
        comment=b"Gao, Ansongo road",
    )
    data = buffer.getvalue()
    return data[:2] + iptc_segment() + data[2:] + AFTER_THE_END


def png_with_everything():
    from io import BytesIO

    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Location", "Gao, Ansongo road")
    buffer = BytesIO()
    photo().save(
        buffer, "PNG", pnginfo=info, exif=gps_exif(), icc_profile=srgb_profile()
    )
    return buffer.getvalue() + AFTER_THE_END


def webp_with_everything(lossless=False):
    from io import BytesIO

    buffer = BytesIO()
    photo().save(
        buffer,
        "WEBP",
        lossless=lossless,
        quality=90,
        exif=gps_exif(),
        xmp=XMP,
        icc_profile=srgb_profile(),
    )
    return buffer.getvalue() + AFTER_THE_END


def gif_with_everything():
    from io import BytesIO

    buffer = BytesIO()
    photo().convert("P").save(buffer, "GIF", comment=b"Gao, Ansongo road")
    return buffer.getvalue() + AFTER_THE_END


def stored_bytes(story):
    with story.lead_image.open("rb") as stored:
        return stored.read()


def every_stored_file(story):
    names = [story.lead_image.name]
    for size in story.lead_image_renditions["sizes"]:
        names += [size["webp"], size["jpeg"]]
    for name in names:
        with default_storage.open(name) as file:
            yield name, file.read()


class TestOnlyThePictureIsStored:
    """Location in any form (EXIF GPS, XMP, IPTC, text chunks, comments, bytes after
    the image) never reaches storage: the upload is re-encoded from its pixels."""

    @pytest.mark.parametrize(
        ("name", "make"),
        [
            ("gao.jpg", jpeg_with_everything),
            ("gao.png", png_with_everything),
            ("gao.webp", webp_with_everything),
            ("gao.webp", lambda: webp_with_everything(lossless=True)),
            ("gao.gif", gif_with_everything),
        ],
    )
    def test_metadata_and_trailing_bytes_are_gone(self, name, make):
        data = make()
        carried = [leak for leak in LEAKS if leak in data]
        assert b"TRAILER" in carried and len(carried) >= 3  # the upload does leak
        story = ArticleFactory(lead_image=upload(name, data), lead_image_alt="Gao")
        for stored_name, content in every_stored_file(story):
            for leak in carried:
                assert leak not in content, (stored_name, leak)
            with Image.open(default_storage.open(stored_name)) as image:
                assert not image.getexif(), stored_name
                assert "xmp" not in image.info and "comment" not in image.info
                assert "XML:com.adobe.xmp" not in image.info

    def test_iptc_is_gone(self):
        from PIL import IptcImagePlugin

        data = jpeg_with_everything()
        with Image.open(upload("x.jpg", data)) as original:
            assert IptcImagePlugin.getiptcinfo(original)[(2, 90)] == b"Gao"
        story = ArticleFactory(lead_image=upload("x.jpg", data), lead_image_alt="x")
        with Image.open(story.lead_image.open("rb")) as stored:
            assert IptcImagePlugin.getiptcinfo(stored) is None
            assert "photoshop" not in stored.info

    def test_a_jpeg_keeps_its_quality_and_colour_profile(self):
        from io import BytesIO

        from PIL import ImageChops, ImageStat

        def loss(image, data):
            with Image.open(BytesIO(data)) as other:
                difference = ImageChops.difference(image, other.convert("RGB"))
                return max(ImageStat.Stat(difference).mean)

        data = jpeg_with_everything()
        story = ArticleFactory(lead_image=upload("x.jpg", data), lead_image_alt="x")
        content = stored_bytes(story)
        with Image.open(BytesIO(data)) as original:
            with Image.open(BytesIO(content)) as stored:
                assert stored.format == "JPEG"
                assert stored.quantization == original.quantization
                assert stored.info["icc_profile"] == srgb_profile()
            pixels = original.convert("RGB")
            usual = BytesIO()
            original.save(usual, "JPEG")  # Pillow's default quality, for scale
            assert loss(pixels, content) < loss(pixels, usual.getvalue()) / 2
        assert len(content) < len(data) * 1.05  # and hardly bigger than the upload

    @pytest.mark.parametrize("make", [png_with_everything, gif_with_everything])
    def test_lossless_formats_keep_every_pixel(self, make):
        from PIL import ImageChops

        data = make()
        story = ArticleFactory(lead_image=upload("x.img", data), lead_image_alt="x")
        with (
            Image.open(upload("x", data)) as original,
            Image.open(story.lead_image.open("rb")) as stored,
        ):
            assert stored.format == original.format
            assert stored.mode == original.mode
            original_rgb, stored_rgb = original.convert("RGB"), stored.convert("RGB")
            assert ImageChops.difference(original_rgb, stored_rgb).getbbox() is None

    def test_png_keeps_its_colour_profile_and_transparency(self):
        from io import BytesIO

        buffer = BytesIO()
        Image.new("RGBA", (40, 30), (10, 20, 30, 0)).save(
            buffer, "PNG", icc_profile=srgb_profile()
        )
        story = ArticleFactory(
            lead_image=upload("clear.png", buffer.getvalue()), lead_image_alt="x"
        )
        with Image.open(story.lead_image.open("rb")) as stored:
            assert stored.mode == "RGBA"
            assert stored.getpixel((0, 0)) == (10, 20, 30, 0)
            assert stored.info["icc_profile"] == srgb_profile()

    @pytest.mark.parametrize(
        ("image_format", "mode", "options"),
        [
            ("JPEG", "L", {}),
            ("JPEG", "CMYK", {}),
            ("PNG", "1", {}),
            ("PNG", "LA", {}),
            ("PNG", "P", {"transparency": 0}),
            ("PNG", "I;16", {}),
            ("GIF", "P", {"transparency": 0}),
            ("WEBP", "RGBA", {}),
        ],
    )
    def test_every_kind_of_picture_is_stored_and_rendered(
        self, image_format, mode, options
    ):
        from io import BytesIO

        buffer = BytesIO()
        picture = photo((600, 400))
        if "A" in mode:
            picture.putalpha(128)
        picture = picture.convert(mode)
        picture.save(buffer, image_format, **options)
        story = ArticleFactory(
            lead_image=upload("x.img", buffer.getvalue()), lead_image_alt="x"
        )
        with Image.open(story.lead_image.open("rb")) as stored:
            assert (stored.format, stored.mode, stored.size) == (
                image_format,
                mode,
                (600, 400),
            )
        size, largest = story.lead_image_renditions["sizes"]
        assert (size["width"], size["height"], largest["width"]) == (480, 320, 600)
        with Image.open(default_storage.open(size["jpeg"])) as rendition:
            assert rendition.mode == "RGB"

    def test_orientation_is_applied_so_the_picture_stands_upright(self):
        # EXIF orientation 6: the camera was turned; the pixels lie on their side.
        data = jpeg_with_everything(size=(300, 200), orientation=6)
        story = ArticleFactory(lead_image=upload("x.jpg", data), lead_image_alt="x")
        with Image.open(story.lead_image.open("rb")) as stored:
            assert stored.size == (200, 300)
            assert 0x0112 not in stored.getexif()
        assert (story.lead_image_width, story.lead_image_height) == (200, 300)
        renditions = story.lead_image_renditions
        assert (renditions["width"], renditions["height"]) == (200, 300)
        assert renditions["sizes"] == [
            {**renditions["sizes"][0], "width": 200, "height": 300}
        ]

    def test_location_is_removed_through_the_admin(self, editor_client):
        from articles.tests.admin_forms import ADD, article_form

        response = editor_client.post(
            ADD,
            article_form(
                lead_image=upload("gao.jpg", jpeg_with_everything()),
                lead_image_alt="A map",
            ),
        )
        assert response.status_code == 302
        story = Article.objects.get()
        content = stored_bytes(story)
        for leak in LEAKS:
            assert leak not in content

    def test_gps_is_removed_from_renditions_too(self):
        story = ArticleFactory(
            lead_image=image_file("gao.jpg", (900, 600), "JPEG", exif=gps_exif()),
            lead_image_alt="A street in Gao",
        )
        assert (story.lead_image_width, story.lead_image_height) == (900, 600)
        for size in story.lead_image_renditions["sizes"]:
            for key in ("webp", "jpeg"):
                with default_storage.open(size[key]) as file, Image.open(file) as im:
                    assert 0x8825 not in im.getexif()


class TestRenditions:
    def test_several_widths_in_webp_and_jpeg(self):
        story = ArticleFactory(
            lead_image=image_file("wide.png", (1600, 900)), lead_image_alt="A map"
        )
        renditions = story.lead_image_renditions
        assert renditions["source"] == story.lead_image.name
        assert [s["width"] for s in renditions["sizes"]] == [480, 800, 1200]
        for size in renditions["sizes"]:
            assert size["height"] == round(900 * size["width"] / 1600)
            for key, image_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
                with default_storage.open(size[key]) as file, Image.open(file) as im:
                    assert im.format == image_format
                    assert im.size == (size["width"], size["height"])

    def test_a_small_image_is_not_enlarged(self):
        story = ArticleFactory(
            lead_image=image_file("small.gif", (300, 200), "GIF"), lead_image_alt="x"
        )
        assert [s["width"] for s in story.lead_image_renditions["sizes"]] == [300]

    def test_made_once_not_on_every_save_or_request(self, client, monkeypatch):
        story = ArticleFactory(
            lead_image=image_file("once.png", (1000, 500)), lead_image_alt="x"
        )
        calls = []
        monkeypatch.setattr(
            images, "build_renditions", lambda *a, **k: calls.append(a) or {}
        )
        story.headline = "Edited headline"
        services.save_story(story=story)
        assert client.get(story.get_absolute_url()).status_code == 200
        assert calls == []

    def test_a_new_image_gets_new_renditions_and_no_image_none(self):
        story = ArticleFactory(
            lead_image=image_file("one.png", (1000, 500)), lead_image_alt="x"
        )
        first = story.lead_image_renditions
        story.lead_image = image_file("two.png", (500, 500))
        services.save_story(story=story)
        assert story.lead_image_renditions["source"] != first["source"]
        assert story.lead_image_renditions["sizes"][0]["height"] == 480
        story.lead_image = None
        services.save_story(story=story)
        assert story.lead_image_renditions == {}


class Pictures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources, self.imgs, self._in_picture = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self._in_picture = True
        elif tag == "source" and self._in_picture:
            self.sources.append(attrs)
        elif tag == "img" and self._in_picture:
            self.imgs.append(attrs)

    def handle_endtag(self, tag):
        if tag == "picture":
            self._in_picture = False


def test_article_page_serves_a_responsive_picture(client):
    story = ArticleFactory(
        lead_image=image_file("page.jpg", (1600, 1000), "JPEG"),
        lead_image_alt="Traders at the Ségou market",
    )
    parser = Pictures()
    parser.feed(client.get(story.get_absolute_url()).content.decode())
    [source] = parser.sources
    [img] = parser.imgs
    assert source["type"] == "image/webp"
    assert source["srcset"].count("w,") == 2 and source["srcset"].endswith("1200w")
    assert ".webp 480w" in source["srcset"]
    assert ".jpg 800w" in img["srcset"] and img["sizes"] == source["sizes"]
    assert (img["width"], img["height"]) == ("800", "500")
    assert img["alt"] == "Traders at the Ségou market"
    media = "/media/"
    assert default_storage.exists(img["src"].removeprefix(media))
    webp = source["srcset"].split()[0].removeprefix(media)
    with default_storage.open(webp) as file, Image.open(file) as image:
        assert image.format == "WEBP"


def stored_like_the_demo(**fields):
    """A story whose image was written to storage before the story was saved, as
    load_demo used to do: Django then leaves the dimension fields empty, so loading
    the story opens the stored file to read them."""
    from django.core.files.base import ContentFile

    story = ArticleFactory.build(lead_image_alt="A map", **fields)
    picture = image_file("demo.jpg", (320, 180), "JPEG").read()
    story.lead_image.save("demo.jpg", ContentFile(picture), save=False)
    services.save_story(story=story)
    return Article.objects.get(pk=story.pk)


class TestStoredImage:
    """A stored image was checked when it was uploaded; saving the story again must
    neither check it again nor fail on it."""

    def test_full_clean_of_a_story_loaded_from_the_database(self):
        story = stored_like_the_demo()
        story.full_clean()

    def test_a_stored_image_is_not_checked_again(self):
        story = ArticleFactory(
            lead_image=image_file("kept.png", (60, 40)), lead_image_alt="A map"
        )
        # The file in storage no longer reads as an image (a later, stricter rule
        # would do the same): the story must still be editable.
        with default_storage.open(story.lead_image.name, "wb") as stored:
            stored.write(b"not an image any more")
        Article.objects.get(pk=story.pk).full_clean()

    def test_editor_saves_a_story_with_an_image_in_the_admin(self, editor_client):
        from articles.tests.history.test_revisions import edit

        for story in [
            stored_like_the_demo(headline="Demo story"),
            ArticleFactory(
                lead_image=image_file("own.png", (60, 40)), lead_image_alt="A map"
            ),
        ]:
            name = story.lead_image.name
            edit(editor_client, story, headline="An edited headline")
            story.refresh_from_db()
            assert story.headline == "An edited headline"
            assert story.lead_image.name == name

    def test_a_new_upload_on_a_story_with_an_image_is_still_checked(
        self, editor_client
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from articles.tests.admin_forms import change_url, form_data

        story = stored_like_the_demo()
        name = story.lead_image.name
        data = form_data(editor_client.get(change_url(story)))
        data["lead_image"] = SimpleUploadedFile("x.jpg", b"GIF89a but not really")
        response = editor_client.post(change_url(story), data)
        assert response.status_code == 200
        assert "This file is not an image we can read." in response.content.decode()
        story.refresh_from_db()
        assert story.lead_image.name == name


def test_image_size_is_recorded_however_the_file_was_written():
    """Without the size on the row, every load of the story reads the stored file
    (Django's ImageField fills the size on load), and a missing file breaks every
    page that lists the story."""
    story = stored_like_the_demo()
    assert (story.lead_image_width, story.lead_image_height) == (320, 180)
    default_storage.delete(story.lead_image.name)
    assert Article.objects.get(pk=story.pk).lead_image_width == 320


def test_migration_records_the_size_of_images_stored_without_it():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0011_lead_image_sizes")
    story = stored_like_the_demo()
    Article.objects.filter(pk=story.pk).update(
        lead_image_width=None, lead_image_height=None
    )
    no_renditions = ArticleFactory()
    Article.objects.filter(pk=no_renditions.pk).update(lead_image="lead-images/x.jpg")
    migration.fill_sizes(apps, None)
    sizes = dict(
        Article.objects.values_list("pk", "lead_image_width").filter(
            pk__in=[story.pk, no_renditions.pk]
        )
    )
    assert sizes == {story.pk: 320, no_renditions.pk: None}
    assert Article.objects.values_list("lead_image_height").get(pk=story.pk) == (180,)


def encoded(image_format, size, mode="RGB", colour=(200, 120, 40), **options):
    from io import BytesIO

    if mode in ("1", "L"):
        colour = 1 if mode == "1" else 128
    buffer = BytesIO()
    Image.new(mode, size, colour).save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def media_files(settings):
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def refusal(file):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        images.validate_image_file(file)
    return " ".join(error.value.messages)


class TestDecodingCost:
    """Pixels, not bytes, are what decoding costs: bounded per format (bench/images.py
    has the measurements behind the bounds)."""

    def test_a_tiny_png_of_forty_megapixels_is_refused(self):
        data = encoded("PNG", (7720, 5142), mode="1")  # 39.7 megapixels
        assert len(data) < 120_000
        message = refusal(upload("flat.png", data))
        assert "7720×5142" in message and "39.7 megapixels" in message
        assert "16 megapixels" in message

    def test_png_up_to_the_bound_is_accepted(self):
        width, height = 4898, 3266  # 16.0 megapixels
        assert width * height <= images.MAX_PIXELS["PNG"]
        images.validate_image_file(
            upload("chart.png", encoded("PNG", (width, height), "1"))
        )
        over = upload("chart.png", encoded("PNG", (width + 2, height), "1"))
        assert "16 megapixels" in refusal(over)

    def test_a_press_photo_of_45_megapixels_is_accepted(self):
        # A Nikon Z 8 / Canon R5 frame; grey to keep the test light.
        photo = upload("frame.jpg", encoded("JPEG", (8256, 5504), "L", quality=90))
        images.validate_image_file(photo)
        clean = images.clean_upload(photo)
        assert (clean.width, clean.height) == (8256, 5504)
        assert [r.width for r in clean.renditions] == [480, 800, 1200]

    def test_jpeg_over_the_bound_is_refused_before_decoding(self):
        assert images.MAX_PIXELS["JPEG"] == 50_000_000
        huge = upload("huge.jpg", encoded("JPEG", (9504, 6336), "L"))  # 60 MP
        message = refusal(huge)
        assert "9504×6336" in message and "50 megapixels" in message

    def test_too_many_pixels_for_pillow_itself_is_a_clear_refusal(self):
        # Past Pillow's own decompression-bomb limit, opening the file fails.
        data = encoded("PNG", (20000, 10000), mode="1")
        assert "too many pixels" in refusal(upload("bomb.png", data))


def truncated(image_format):
    """A photo-like picture cut off three quarters of the way through its data."""
    from io import BytesIO

    noise = Image.effect_noise((300, 200), 60).convert("RGB")
    buffer = BytesIO()
    noise.save(buffer, image_format)
    data = buffer.getvalue()
    return data[: len(data) * 3 // 4]


class TestDamagedImages:
    @pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
    def test_an_incomplete_image_is_refused_clearly(self, image_format):
        extension = {"JPEG": "jpg"}.get(image_format, image_format.lower())
        message = refusal(upload(f"cut.{extension}", truncated(image_format)))
        assert "damaged or incomplete" in message

    def test_through_the_admin_a_form_error_and_nothing_stored(
        self, editor_client, settings
    ):
        from articles.tests.admin_forms import ADD, article_form

        response = editor_client.post(
            ADD,
            article_form(
                lead_image=upload("cut.jpg", truncated("JPEG")), lead_image_alt="A map"
            ),
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "This image is damaged or incomplete" in page
        assert "Niger&#x27;s junta asks French troops to leave" in page  # text kept
        assert not Article.objects.exists()
        assert media_files(settings) == []

    def test_saving_in_code_refuses_before_anything_is_stored(self, settings):
        from django.core.exceptions import ValidationError

        story = ArticleFactory.build(
            lead_image=upload("cut.png", truncated("PNG")), lead_image_alt="x"
        )
        with pytest.raises(ValidationError):
            services.save_story(story=story)
        assert media_files(settings) == []

    def test_a_plain_save_refuses_an_upload_it_would_store_uncleaned(self, settings):
        """Only services.save_story() cleans an upload; Django alone would store it
        with its metadata (GPS and all)."""
        story = ArticleFactory.build(
            lead_image=image_file("gao.jpg", (60, 40), "JPEG", exif=gps_exif()),
            lead_image_alt="x",
        )
        with pytest.raises(ValueError, match="save_story"):
            story.save()
        assert media_files(settings) == []
        assert not Article.objects.exists()


RANDOM_NAME = r"lead-images/[0-9a-f]{2}/[0-9a-f]{40}\.(jpg|png|webp|gif)"
RENDITION = r"renditions/[0-9a-f]{2}/[0-9a-f]{40}-%dw\.%s"


class TestUnguessableNames:
    """An unpublished story's image must not be found by guessing its address: the
    server names every stored file, never the uploader."""

    def test_stored_names_are_random_with_a_readable_extension(self, editor_client):
        import re

        from articles.tests.admin_forms import ADD, article_form

        response = editor_client.post(
            ADD,
            article_form(
                status="draft",
                lead_image=upload("Gao market.jpg", jpeg_with_everything()),
                lead_image_alt="The market",
            ),
        )
        assert response.status_code == 302
        story = Article.objects.get()
        name = story.lead_image.name
        assert re.fullmatch(RANDOM_NAME, name) and name.endswith(".jpg")
        assert "gao" not in name.lower() and "market" not in name.lower()
        assert name.split("/")[1] == name.split("/")[2][:2]
        for size in story.lead_image_renditions["sizes"]:
            assert re.fullmatch(RENDITION % (size["width"], "webp"), size["webp"])
            assert re.fullmatch(RENDITION % (size["width"], "jpg"), size["jpeg"])

    def test_the_same_picture_twice_is_stored_once_under_one_name(self, settings):
        first, second = (
            ArticleFactory(lead_image=image_file("lead.png"), lead_image_alt="x")
            for _ in range(2)
        )
        assert first.lead_image.name == second.lead_image.name
        assert first.lead_image_renditions == second.lead_image_renditions
        assert len(media_files(settings)) == 1 + 2 * len(
            first.lead_image_renditions["sizes"]
        )

    def test_other_bytes_under_the_same_file_name_get_another_name(self):
        first = ArticleFactory(
            lead_image=image_file("lead.png", (60, 40)), lead_image_alt="x"
        )
        second = ArticleFactory(
            lead_image=image_file("lead.png", (61, 40)), lead_image_alt="x"
        )
        assert first.lead_image.name != second.lead_image.name
        first_files = images.rendition_names(first.lead_image_renditions)
        assert not first_files & images.rendition_names(second.lead_image_renditions)

    def test_names_are_keyed_so_the_picture_alone_does_not_give_them(self, settings):
        """Whoever holds the same picture (a wire photo) cannot work out where an
        unpublished story keeps it: the hash is keyed with SECRET_KEY."""
        content = encoded("PNG", (60, 40))
        name = images.content_name("lead-images", content, ".png")
        assert name == images.content_name("lead-images", content, ".png")
        settings.SECRET_KEY = "another-key-" * 5
        assert images.content_name("lead-images", content, ".png") != name

    def test_the_extension_follows_the_content_not_the_name(self):
        story = ArticleFactory(
            lead_image=upload("photo.jpg", encoded("PNG", (60, 40))),
            lead_image_alt="x",
        )
        assert story.lead_image.name.endswith(".png")

    def test_published_images_are_served_from_media(self, client):
        story = ArticleFactory(
            lead_image=image_file("served.jpg", (900, 600), "JPEG"),
            lead_image_alt="x",
        )
        for url in [
            story.lead_image.url,
            default_storage.url(story.lead_image_renditions["sizes"][0]["webp"]),
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert b"".join(response.streaming_content)[:2] in (b"\xff\xd8", b"RI")

    def test_images_stored_under_old_names_keep_working(self, client):
        from django.core.files.base import ContentFile

        old = "lead-images/2026/01/gao-market.jpg"
        default_storage.save(old, ContentFile(encoded("JPEG", (900, 600))))
        story = ArticleFactory(lead_image=old, lead_image_alt="The market")
        assert story.lead_image.name == old
        renditions = story.lead_image_renditions["sizes"]
        assert re.fullmatch(RENDITION % (480, "webp"), renditions[0]["webp"])
        story.headline = "Edited"
        services.save_story(story=story)
        story.refresh_from_db()
        assert story.lead_image.name == old
        assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get(story.lead_image.url).status_code == 200

    def test_demo_images_get_random_names_too(self, monkeypatch):
        import re
        from io import StringIO

        from django.core.management import call_command

        tiny = encoded("JPEG", (320, 180))
        monkeypatch.setattr(
            "demo.pictures.checked", lambda *settings: checked_picture(tiny)
        )
        call_command("load_demo", stdout=StringIO())
        stories = Article.objects.exclude(lead_image="")
        assert stories.count() >= 11
        for story in stories:
            assert re.fullmatch(RANDOM_NAME, story.lead_image.name), story.slug
            assert (story.lead_image_width, story.lead_image_height) == (320, 180)
            assert story.lead_image_renditions["source"] == story.lead_image.name
            story.full_clean()  # every demo story stays editable


def test_the_image_benchmark_runs():
    """bench/images.py (the measurements behind MAX_PIXELS) cannot rot: a small
    photo is stored, the flat 39.7 MP PNG refused, whatever the machine's speed."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [
            sys.executable,
            "bench/images.py",
            "--cases",
            "JPEG:400x300,PNG-flat:7720x5142",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "stored" in lines[1] and "draft decode" in lines[1]
    assert "(39.7 megapixels); the limit for a PNG image is 16" in lines[2]
    assert re.fullmatch(r"images cases=2 slowest_s=[\d.]+ peak_mb=\d+", lines[-1])
