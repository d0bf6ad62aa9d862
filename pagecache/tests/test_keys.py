"""What makes two requests one page: only the query parameters a page registered
vary it, and addresses anyone can make up never fill the shared cache."""

import pytest
from django.core.cache import cache

from pagecache import entries, keys
from pagecache.tests.site import state

pytestmark = pytest.mark.django_db


def test_parameters_a_page_does_not_read_neither_vary_nor_reach_it(reader):
    first = reader.get("/page/?page=2")
    assert state(first) == "miss"
    assert b"asked 'page=2'" in first.content
    for url in ["/page/?page=2&utm_source=newsletter", "/page/?fbclid=x&page=02",
                "/page/?page=+2", "/page/?page=1&page=2"]:  # fmt: skip
        response = reader.get(url)
        assert state(response) == "hit", url
        assert response.content == first.content, url
    # A page that registered nothing reads nothing: every address is one page.
    other = reader.get("/other/?page=3&q=x")
    assert b"asked ''" in other.content
    assert state(reader.get("/other/")) == "hit"


def test_free_text_and_made_up_addresses_stay_in_the_workers_memory(reader, rf):
    made_up = [f"/search/?q=random-{n}" for n in range(100)]
    made_up += [f"/page/?page=x{n}" for n in range(100)]  # not a number: free text
    made_up += [f"/missing/{n}/" for n in range(100)]  # not found: any path may be
    for url in made_up:
        assert state(reader.get(url)) == "miss", url
    for url in made_up:
        request = rf.get(url)
        keys.keep_what_the_page_reads(request)
        assert cache.get(keys.cache_key(request)) is None, url
    # Each worker keeps the latest of them in bounded memory of its own.
    assert len(entries.recent.entries) == entries.recent.size
    assert state(reader.get(made_up[-1])) == "hit"
    # A page with bounded addresses still goes to the shared cache.
    reader.get("/page/?page=7")
    request = rf.get("/page/?page=7")
    assert cache.get(keys.cache_key(request))


def test_a_parameter_kind_must_be_a_number_or_text():
    with pytest.raises(ValueError, match="NUMBER or TEXT"):
        keys.register_reads("test-page", {"page": int})
