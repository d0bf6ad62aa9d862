"""A tiny site for the prepared pages' own tests: pages that say which render
they are and name what they show, as a content app's pages do."""

from itertools import count

from django.http import HttpResponse, HttpResponseNotFound
from django.urls import path

from edge import collector

renders = count(1)
# Called in the middle of a render when set: a change committing meanwhile.
during_render = []


def item(request, number):
    collector.shown(f"s{number}")
    collector.tag(f"tl{number}")
    for happen in during_render:
        happen()
    page = request.GET.get("page", "1")
    response = HttpResponse(
        f"<p>render {next(renders)} of item {number}, page {page}</p>"
        + "<p>words</p>" * 200
    )
    response["Content-Language"] = "fr"
    response["X-Robots-Tag"] = "noarchive"
    return response


def search(request):
    return HttpResponse(f"render {next(renders)} for {request.GET.get('q')}")


def with_cookie(request):
    response = HttpResponse(f"render {next(renders)}")
    response.set_cookie("tracking", "1")
    return response


def missing(request):
    return HttpResponseNotFound(f"render {next(renders)}: no such item")


urlpatterns = [
    path("item/<int:number>/", item, name="test-item"),
    path("search/", search, name="test-search"),
    path("cookie/", with_cookie),
    path("missing/", missing),
]
