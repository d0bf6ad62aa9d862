from django.urls import URLResolver, path, register_converter

from . import feeds, views
from .editions import EditionPrefix


class TopicSlugConverter:
    """Topic slugs may keep non-Latin letters when a name has no ASCII form."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TopicSlugConverter, "topicslug")

# The lists, once per edition: the default language's at these addresses, each
# other language's under its prefix (/fr/topics/...; articles/editions.py).
edition_urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path(
        "topics/<topicslug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"
    ),
    path("topics/<topicslug:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path(
        "topics/<topicslug:slug>/timeline/",
        views.TopicTimelineView.as_view(),
        name="topic_timeline",
    ),
    path("feed/", feeds.LatestStoriesFeed(), name="feed"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path(
        "authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author_detail"
    ),
]

app_name = "articles"
urlpatterns = [
    # A story has one address whatever its language (and the page is in it).
    path(
        "articles/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article_detail",
    ),
    path(
        "preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="article_preview"
    ),
    URLResolver(EditionPrefix(), edition_urlpatterns),
]
