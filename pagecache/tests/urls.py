"""A tiny site for the page cache's own tests: pages that say which render they
are, and what they read, so a test can tell a cached answer from a fresh one."""

import threading
from itertools import count

from django.http import (
    HttpResponse,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
)
from django.urls import path, re_path
from django.utils import translation

from pagecache.generation import content_version

renders = count(1)


def page(request):
    """Says which render it is, for which language and host, what it was asked
    and the content version it was rendered at (a query, as real pages make)."""
    return HttpResponse(
        f"<p>render {next(renders)} in {translation.get_language()} for "
        f"{request.get_host()}, asked {request.GET.urlencode()!r}, at version "
        f"{content_version()}</p>"
    )


# A render the test holds open: `slow_started` is set once it has begun, and it
# ends when the test sets `slow_gate`.
slow_started, slow_gate = threading.Event(), threading.Event()


def slow(request):
    number = next(renders)
    slow_started.set()
    slow_gate.wait(timeout=60)
    return HttpResponse(f"<p>render {number}, held</p>")


def big(request):
    return HttpResponse(f"<p>render {next(renders)}</p>" + "<p>words</p>" * 400)


def missing(request):
    return HttpResponseNotFound(f"render {next(renders)}: no such page")


def moved(request):
    return HttpResponsePermanentRedirect("/page/")


def with_cookie(request):
    response = HttpResponse(f"render {next(renders)}")
    response.set_cookie("tracking", "1")
    return response


urlpatterns = [
    path("page/", page, name="test-page"),
    path("search/", page, name="test-search"),
    path("other/", page, name="test-other"),
    path("big/", big, name="test-big"),
    path("slow/", slow, name="test-slow"),
    re_path(r"^missing/", missing, name="test-missing"),  # any path below
    path("moved/", moved, name="test-moved"),
    path("cookie/", with_cookie, name="test-cookie"),
]
