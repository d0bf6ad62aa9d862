"""The content API fuzzed from its own OpenAPI schema, in-process, bounded.

schemathesis reads /api/openapi.json from the Django app through its WSGI support (no
network) and sends requests generated from it: valid ones (every answer must be the
one this archive calls for) and invalid ones (each must be refused with a 4xx). Every
answer is checked against the schema: no 5xx, documented status codes, content types,
headers and bodies. A fixed number of examples, derandomized, no example database:
the same requests on every run, a few seconds on SQLite and PostgreSQL.
"""

import math

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from articles.api import PAGE_SIZE
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 80
# What the archive below holds, written out so the oracle does not ask the API's code.
LIVE_TOPICS = {"mali": 3, "aes": 2}
LIVE_STORIES = 3
LIVE_SLUGS = {"charter-signed", "junta-speaks", "gold-mine"}
# Every live story above is in English; the site's other language has none.
LANGUAGES = {"en", "fr"}


@pytest.fixture
def archive():
    ArticleFactory(slug="charter-signed", topics=["Mali", "AES"])
    ArticleFactory(slug="junta-speaks", topics=["Mali", "AES"])
    ArticleFactory(slug="gold-mine", topics=["Mali"])
    ArticleFactory(draft=True, slug="secret-draft", topics=["Secret op", "Mali"])
    ArticleFactory(scheduled=True, slug="secret-scheduled", topics=["Niger"])


@pytest.fixture
def app():
    """Django's WSGI handler, on the test's own database connection.

    As Django's test client does, keep the handler from closing the connection when
    a request ends: it holds the test's transaction and so the archive.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def expected_status(case):
    """The answer a schema-valid request must get from this archive."""
    values = [*(case.path_parameters or {}).values(), *(case.query or {}).values()]
    if any("\x00" in str(value) for value in values):
        return 400  # refused before the API (newsroom.middleware)
    language = (case.query or {}).get("language")
    if language and language not in LANGUAGES:
        return 400  # documented: a language the site lacks (stories, topics)
    if case.path == "/api/stories/{slug}/":
        return 200 if case.path_parameters["slug"] in LIVE_SLUGS else 404
    if case.path == "/api/stories/":
        query = case.query or {}
        topic = query.get("topic")
        in_english = language in (None, "", "en")
        count = LIVE_STORIES
        if topic:  # empty is no filter
            if topic not in LIVE_TOPICS:
                return 400  # documented: an unknown topic
            count = LIVE_TOPICS[topic]
        count = count if in_english else 0
        pages = max(1, math.ceil(count / query.get("page_size", PAGE_SIZE)))
        return 200 if query.get("page", 1) <= pages else 400  # past the end
    return 200


def known_cases(schema):
    """Valid requests that once failed, sent on every run whatever the fuzzer draws."""
    stories, story = (
        schema["/api/stories/"]["GET"],
        schema["/api/stories/{slug}/"]["GET"],
    )
    return [
        stories.Case(query={"topic": ""}),  # was a 400
        stories.Case(query={"topic": "mali", "page_size": 2, "page": 2}),
        stories.Case(query={"language": "fr"}),
        stories.Case(query={"language": "fr", "topic": "mali"}),
        stories.Case(query={"language": "xx"}),
        stories.Case(query={"topic": "\x00"}),  # were 500s on PostgreSQL
        story.Case(path_parameters={"slug": "\x00"}),
        story.Case(path_parameters={"slug": "charter-signed"}),
        story.Case(path_parameters={"slug": "secret-draft"}),
    ]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_to_its_schema(app, archive, mode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    answered = set()

    def send(case):
        # schemathesis's own acceptance check refuses every 400 on valid data; the
        # oracle knows which ones this archive calls for, and checks the rest too.
        # Uncompressed: schemathesis's WSGI transport does not decode gzip
        # (tests/test_delivery.py covers the API's compressed answers).
        response = case.call_and_validate(
            headers={"Accept-Encoding": "identity"},
            excluded_checks=[positive_data_acceptance],
        )
        answered.add((case.path, response.status_code))
        if mode == GenerationMode.POSITIVE:
            assert response.status_code == expected_status(case), case.as_curl_command()

    @given(case=schema.as_strategy(mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def fuzz(case):
        send(case)

    if mode == GenerationMode.POSITIVE:
        for case in known_cases(schema):
            send(case)
    fuzz()
    reached = {path for path, _ in answered}
    if mode == GenerationMode.POSITIVE:
        # Every operation, and real answers among them.
        assert reached == {
            "/api/",
            "/api/stories/",
            "/api/stories/{slug}/",
            "/api/topics/",
        }
        assert {("/api/stories/", 200), ("/api/stories/", 400)} <= answered
    else:
        # Only the lists have parameters a request can get wrong.
        assert reached == {"/api/stories/", "/api/topics/"}
