"""Bytes over the wire for an article page before images: HTML + CSS, compressed.

    python manage.py load_demo          # or any database with published stories
    python bench/weight.py

Renders the heaviest published story (longest body) in-process and measures the
HTML and every stylesheet it links, raw and gzip-compressed at level 9, which is
what whitenoise writes next to each static file at `collectstatic` (it adds a
Brotli copy only when the `Brotli` package is installed; it is not, so browsers
get gzip). HTML is measured gzipped too, as a proxy or `GZipMiddleware` sends it.
Last line: `weight html_gz=<bytes> css_gz=<bytes> total_gz=<bytes> limit=102400`.
"""

import gzip
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db.models.functions import Length  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402

LIMIT = 100 * 1024


def gz(data):
    return len(gzip.compress(data, compresslevel=9))


def main():
    story = (
        Article.objects.published().annotate(size=Length("body")).order_by("-size")
    ).first()
    if story is None:
        sys.exit("No published stories: run load_demo first.")
    client = Client(HTTP_HOST="127.0.0.1")
    html = client.get(story.get_absolute_url()).content
    css = b""
    for href in re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html):
        name = href.decode().split("/static/", 1)[1].split("?")[0]
        css += Path(finders.find(name)).read_bytes()
    html_gz, css_gz = gz(html), gz(css)
    print(f"story: {story.get_absolute_url()} ({len(story.body):,} characters of body)")
    print(f"HTML {len(html):>7,} B raw  {html_gz:>6,} B gzip")
    print(f"CSS  {len(css):>7,} B raw  {css_gz:>6,} B gzip")
    print(
        f"weight html_gz={html_gz} css_gz={css_gz} total_gz={html_gz + css_gz} "
        f"limit={LIMIT}"
    )
    sys.exit(0 if html_gz + css_gz < LIMIT else 1)


if __name__ == "__main__":
    main()
