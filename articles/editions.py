"""Editions: one address, one language.

Every public address names its language: the default edition
(`settings.LANGUAGE_CODE`) at the contract's addresses (`/`, `/topics/`, ...), each
other language under its prefix (`/fr/`, `/fr/topics/`, ...). A story's page stays
at `/articles/<slug>/` whatever its language, and is rendered in the story's
language by its view. Neither a cookie nor `Accept-Language` changes what a public
address answers, so any cache may keep it by address alone (pagecache/keys.py).

The desk (`/admin/`), which no cache keeps, still follows the staff member's
language choice (cookie, then `Accept-Language`), as Django's LocaleMiddleware did.

Imports nothing of this app: the URL map and the middleware list use it.
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Paths that keep the reader's own language choice: the desk, never cached.
DESK_PATHS = ("/admin/",)


def languages():
    return [code for code, _ in settings.LANGUAGES]


def edition_prefix(language):
    """The path prefix of `language`'s edition: "" for the default, "/fr" else."""
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


def language_of_path(path):
    """The edition a path belongs to: its prefix's language, else the default."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def edition_path(path, language):
    """The same path in `language`'s edition (`/fr/topics/` -> `/topics/`)."""
    current = translation.get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :] or "/"
    return edition_prefix(language) + path


def edition_url(name, language, **kwargs):
    """`reverse(name)` in `language`'s edition."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


class EditionPrefix:
    """A URL pattern matching the active edition's prefix: nothing for the default
    language, `<code>/` for the others. Django's `LocalePrefixPattern` does the
    same, but may only be used in the root URLconf and makes LocaleMiddleware fall
    back to cookies; this one sits inside `articles.urls` next to the story
    pages, which have one address in every language."""

    converters = {}

    @property
    def language_prefix(self):
        language = translation.get_language() or settings.LANGUAGE_CODE
        return "" if language == settings.LANGUAGE_CODE else f"{language}/"

    @property
    def regex(self):
        return re.compile(re.escape(self.language_prefix))

    def match(self, path):
        prefix = self.language_prefix
        if path.startswith(prefix):
            return path.removeprefix(prefix), (), {}
        return None

    def check(self):
        return []

    def describe(self):
        return f"'{self}'"

    def __str__(self):
        return self.language_prefix


class EditionMiddleware:
    """Activate the language the address names, for the whole request.

    Goes before the page cache, so that a cached page and a fresh one resolve
    the same address the same way. The language a view ends in (a story's page
    switches to the story's) is the response's `Content-Language`. Public
    answers never vary by `Accept-Language` or cookie; only the desk does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        desk = request.path_info.startswith(DESK_PATHS)
        if desk:
            language = translation.get_language_from_request(request)
        else:
            language = language_of_path(request.path_info)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            language = translation.get_language()
        if desk:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


def switch_links(urls):
    """The language switcher: a plain link per language, to `urls[code]` when
    given, else that edition's home; the active language's marked current."""
    current = translation.get_language()
    links = []
    for code in languages():
        info = translation.get_language_info(code)
        url = urls.get(code) or edition_url("articles:home", code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return links


def home_links(request):
    """Context processor: the switcher's default, each edition's home, and no
    alternates (a view that knows its page's counterparts replaces both)."""
    return {"language_links": switch_links({}), "alternates": []}
