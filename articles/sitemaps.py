"""Sitemaps: every public page type, and Google's news sitemap.

Each answer must pass the sitemaps.org schemas (checked in the tests), which refuse
an empty <urlset> or <sitemapindex>: a section with nothing in it answers 404 and
is left out of the index, and /sitemap.xml always holds the home page.
"""

from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from . import selectors

NEWS_WINDOW = timedelta(hours=48)


class Section(Sitemap):
    # One paginator per request's section: counted once, by the index or the
    # emptiness check and Django's view alike.
    @cached_property
    def paginator(self):
        return Paginator(self._items(), self.limit)


class EditionSection(Section):
    """Pages that come in one edition per language (`/`, `/fr/`, ...), each with
    the others as alternates and the default edition's as `x-default`."""

    i18n = True
    alternates = True
    x_default = True


class HomeSitemap(EditionSection):
    """The front page of each edition, which changes with every story."""

    changefreq = "hourly"

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)


class ArticleSitemap(Section):
    """Published stories, newest first, in pages of `limit` (`?p=N`)."""

    changefreq = "daily"
    # Small pages keep each one cheap to render; the index lists them all.
    limit = 1000

    @cached_property
    def paginator(self):
        paginator = Paginator(self._items(), self.limit)
        # The live-story count is already known (cached with the topic counts):
        # skip counting the whole archive on every request.
        paginator.count = selectors.published_story_count()
        return paginator

    def items(self):
        return selectors.sitemap_stories()

    def lastmod(self, article):
        return article.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        """A story has one address in its language; its published translations
        are its alternates, with the default language's version as `x-default`."""
        urls = super().get_urls(page, site, protocol)
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        versions = selectors.language_versions(url["item"] for url in urls)
        for url in urls:
            story = url["item"]
            others = versions[story.pk]
            if not others:
                continue
            group = sorted([story, *others], key=lambda member: member.language)
            url["alternates"] = [
                {
                    "lang_code": member.language,
                    "location": base + member.get_absolute_url(),
                }
                for member in group
            ]
            default = [m for m in group if m.language == settings.LANGUAGE_CODE]
            if default:
                url["alternates"].append(
                    {
                        "lang_code": "x-default",
                        "location": base + default[0].get_absolute_url(),
                    }
                )
        return urls

    def get_latest_lastmod(self):
        # Django's default walks every item; ask the database instead.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class TopicSitemap(EditionSection):
    """Each topic's page in every edition with stories on it."""

    changefreq = "daily"
    limit = 5000

    def items(self):
        return selectors.sitemap_topics()

    def get_languages_for_item(self, topic):
        return [
            code
            for code in self._languages()
            if code in selectors.topic_languages([topic.pk])
        ]


class AuthorSitemap(EditionSection):
    """Bylines with at least one published story (the others answer 404), in
    each edition they have stories in."""

    changefreq = "weekly"
    limit = 5000

    def items(self):
        return selectors.sitemap_authors()

    def get_languages_for_item(self, author):
        return [code for code in self._languages() if getattr(author, f"in_{code}")]


class NewsSitemap(Sitemap):
    """Stories published in the last 48 hours, as Google News asks for them."""

    limit = 1000  # Google News reads at most 1,000 stories per sitemap.

    def items(self):
        return selectors.news_stories(since=timezone.now() - NEWS_WINDOW)

    def lastmod(self, article):
        return article.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            url["news"] = True
            url["publication_name"] = settings.SITE_NAME
            url["language"] = url["item"].language  # each story's own
        if not urls:
            urls = [self.quiet_days_entry(site, protocol)]
        return urls

    def quiet_days_entry(self, site, protocol):
        """The one entry of a news sitemap with no story in the window.

        The sitemaps.org schema refuses an empty <urlset>, and Google asks for
        stories older than two days to go, or to lose their <news:news> part. So a
        quiet spell lists the newest story without it (the home page while
        nothing is published): valid, and not news.
        """
        newest = selectors.sitemap_stories().first()
        path = newest.get_absolute_url() if newest else reverse("articles:home")
        domain = self.get_domain(site)
        return {
            "location": f"{self.get_protocol(protocol)}://{domain}{path}",
            "lastmod": newest.updated_at if newest else None,
            "news": False,
        }


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}


def sitemap_index(request):
    """Django's sitemap index, over the sections that have something to list."""
    sections = {name: section() for name, section in SITEMAPS.items()}
    listed = {
        name: section for name, section in sections.items() if section.paginator.count
    }
    return sitemap_views.index(request, listed, sitemap_url_name="sitemap_section")


def sitemap_section(request, section):
    """One section's page (`?p=N`); an empty section answers 404."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    sitemap = SITEMAPS[section]()
    if not sitemap.paginator.count:
        raise Http404("Nothing to list in this sitemap yet.")
    return sitemap_views.sitemap(request, {section: sitemap}, section=section)


def news_window_closes(now):
    """The moment the oldest story in the news sitemap leaves its 48-hour window:
    cached pages are dropped then, with nobody saving anything. Registered with the
    page cache at start-up (`ArticlesConfig.ready`), so a story published from a
    command or the shell is covered too."""
    oldest = selectors.first_publication_after(now - NEWS_WINDOW)
    return oldest + NEWS_WINDOW if oldest else None
