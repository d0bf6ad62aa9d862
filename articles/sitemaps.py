from django.contrib.sitemaps import Sitemap

from .models import Article, Topic


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-id")

    def lastmod(self, article):
        return article.updated_at


class TopicSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Topic.objects.with_published_stories().order_by("name")


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicSitemap}
