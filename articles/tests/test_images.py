"""Lead images: location metadata stripped on upload, renditions made once, markup."""

from html.parser import HTMLParser

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from articles import images
from articles.models import Article
from articles.tests.factories import ArticleFactory, gps_exif, image_file

pytestmark = pytest.mark.django_db


def stored_exif(fieldfile):
    with fieldfile.open("rb"), Image.open(fieldfile) as image:
        return image.getexif()


class TestLocationStripping:
    def test_gps_is_removed_from_an_uploaded_jpeg_and_the_rest_kept(self):
        upload = image_file("gao.jpg", (900, 600), "JPEG", exif=gps_exif())
        with Image.open(upload) as original:
            assert 0x8825 in original.getexif()  # the test photo does carry GPS
        story = ArticleFactory(lead_image=upload, lead_image_alt="A street in Gao")
        exif = stored_exif(story.lead_image)
        assert 0x8825 not in exif
        assert exif.get_ifd(0x8825) == {}
        assert exif[0x010F] == "Sahel Camera Co"
        assert story.lead_image.name.startswith("lead-images/")
        assert (story.lead_image_width, story.lead_image_height) == (900, 600)

    def test_gps_is_removed_from_renditions_too(self):
        story = ArticleFactory(
            lead_image=image_file("gao.jpg", (900, 600), "JPEG", exif=gps_exif()),
            lead_image_alt="A street in Gao",
        )
        for size in story.lead_image_renditions["sizes"]:
            for key in ("webp", "jpeg"):
                with default_storage.open(size[key]) as file, Image.open(file) as im:
                    assert 0x8825 not in im.getexif()

    def test_gps_is_removed_through_the_admin(self, editor_client):
        from articles.tests.test_admin import ADD, article_form

        upload = image_file("gao.jpg", (300, 200), "JPEG", exif=gps_exif())
        response = editor_client.post(
            ADD, article_form(lead_image=upload, lead_image_alt="A map")
        )
        assert response.status_code == 302
        story = Article.objects.get()
        assert 0x8825 not in stored_exif(story.lead_image)

    def test_an_image_without_gps_is_stored_untouched(self):
        upload = image_file("plain.png", (60, 40))
        original = upload.read()
        upload.seek(0)
        story = ArticleFactory(lead_image=upload, lead_image_alt="A map")
        with story.lead_image.open("rb") as stored:
            assert stored.read() == original


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
        story.save()
        assert client.get(story.get_absolute_url()).status_code == 200
        assert calls == []

    def test_a_new_image_gets_new_renditions_and_no_image_none(self):
        story = ArticleFactory(
            lead_image=image_file("one.png", (1000, 500)), lead_image_alt="x"
        )
        first = story.lead_image_renditions
        story.lead_image = image_file("two.png", (500, 500))
        story.save()
        assert story.lead_image_renditions["source"] != first["source"]
        assert story.lead_image_renditions["sizes"][0]["height"] == 480
        story.lead_image = None
        story.save()
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
    story.save()
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
        from articles.tests.test_revisions import edit

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

        from articles.tests.test_admin import change_url
        from articles.tests.test_workflow import form_data

        story = stored_like_the_demo()
        name = story.lead_image.name
        data = form_data(editor_client.get(change_url(story)))
        data["lead_image"] = SimpleUploadedFile("x.jpg", b"GIF89a but not really")
        response = editor_client.post(change_url(story), data)
        assert response.status_code == 200
        assert "Upload a valid image" in response.content.decode()
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
        from articles.tests.test_admin import ADD, article_form

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
            story.save()
        assert media_files(settings) == []
