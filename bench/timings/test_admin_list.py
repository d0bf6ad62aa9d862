"""Queries and time of the desk's story list, for a superuser."""

from django.contrib.auth import get_user_model

from articles.models import Article

from .measure import time_page

URL = "/admin/articles/article/"


def test_admin_story_list(benchmark, record, client, bench_runs):
    benchmark.group = "admin"
    # Created once in the corpus, as `bench-admin`.
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client.force_login(user)
    response, queries = time_page(benchmark, client, URL, runs=bench_runs)
    record(
        stories=Article.objects.count(), status=response.status_code, queries=queries
    )
    assert response.status_code == 200, response.status_code
