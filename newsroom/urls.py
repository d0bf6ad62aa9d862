import os

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from articles.api import api
from articles.sitemaps import NEWS_SITEMAPS, SITEMAPS, sitemap_index, sitemap_section
from articles.views import RobotsView, healthz

# A database outage met outside a view is a 503 too (pagecache/outage.py).
handler500 = "pagecache.outage.server_error"

admin.site.site_header = "AES Newsroom"
admin.site.site_title = "AES Newsroom admin"
admin.site.index_title = "Newsroom desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("sitemap-index.xml", sitemap_index, name="sitemap_index"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap_section"),
    path(
        "news-sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": NEWS_SITEMAPS, "template_name": "sitemaps/news.xml"},
        name="news_sitemap",
    ),
    path("api/", api.urls),
    # Switching language is harmless to forge, and exempting it keeps public pages
    # free of CSRF cookies (so shared caches can keep serving them).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("articles.urls")),
]

if os.environ.get("NEWSROOM_BENCH_REFERENCE"):
    # The benchmark's reference view (bench/reference.py), for `make bench` only.
    from bench.reference import reference

    urlpatterns.insert(0, path("bench/reference/", reference))
