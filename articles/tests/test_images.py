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
