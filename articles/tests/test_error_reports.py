"""A 500 in production reaches someone: its traceback on stderr, and a mail to
ADMINS (DJANGO_ADMINS) when they are set, even when the mail server is down."""

import json
import socket
import textwrap

import pytest
from django.core import mail
from django.urls import include, path

from articles.tests.test_settings import run_python

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("the wire desk is down")


# This module is the URLconf of the tests below: the site, plus a view that fails.
urlpatterns = [path("broken/", broken), path("", include("newsroom.urls"))]


@pytest.fixture
def failing_site(settings, client):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def test_a_500_is_logged_with_its_traceback_and_mailed(failing_site, settings, caplog):
    settings.ADMINS = [("Desk lead", "lead@news.example")]
    response = failing_site.post(
        "/broken/", {"password": "sahel-secret-1", "otp_token": "493817"}
    )
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.levelname == "ERROR"
    assert record.exc_info[0] is RuntimeError
    assert "Traceback" in caplog.text
    assert "RuntimeError: the wire desk is down" in caplog.text
    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    assert report.to == ["lead@news.example"]
    assert report.subject.startswith("[AES Newsroom] ERROR")
    assert "RuntimeError at /broken/\nthe wire desk is down" in report.body
    assert "Traceback (most recent call last)" in report.body
    # Passwords, codes and secret settings are hidden from the report.
    assert "sahel-secret-1" not in report.body
    assert "493817" not in report.body
    assert settings.SECRET_KEY not in report.body


def test_no_mail_without_admins(failing_site, settings, caplog):
    settings.ADMINS = []
    assert failing_site.get("/broken/").status_code == 500
    assert "RuntimeError: the wire desk is down" in caplog.text
    assert mail.outbox == []


def test_a_404_is_not_mailed(client, settings):
    settings.ADMINS = [("Desk lead", "lead@news.example")]
    assert client.get("/no-such-page/").status_code == 404
    assert mail.outbox == []


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    settings.ADMINS = [("Desk lead", "lead@news.example")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 1
    return settings


def test_mail_server_down_still_a_500_and_said_on_stderr(failing_site, smtp, caplog):
    smtp.EMAIL_PORT = closed_port()
    response = failing_site.get("/broken/")
    assert response.status_code == 500
    assert "RuntimeError: the wire desk is down" in caplog.text
    assert "Could not mail the error report to ADMINS" in caplog.text
    assert "ConnectionRefusedError" in caplog.text


def test_mail_server_that_never_answers_holds_the_answer_at_most_the_timeout(
    failing_site, smtp, caplog
):
    # A server that accepts the connection and then says nothing.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        smtp.EMAIL_PORT = silent.getsockname()[1]
        response = failing_site.get("/broken/")
    assert response.status_code == 500
    assert "Could not mail the error report to ADMINS" in caplog.text
    assert "timed out" in caplog.text


# From the environment, in a fresh process with production settings.

PRODUCTION = {
    "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-random-production-key-" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "news.example",
    "DJANGO_PAGE_CACHE_SECONDS": "0",
}

FAIL_ONCE = textwrap.dedent(
    """
    import json, sys, types
    import django
    django.setup()
    from django.test.utils import setup_test_environment
    setup_test_environment()  # mail to django.core.mail.outbox, not a server
    from django.conf import settings
    from django.core import mail
    from django.test import Client, override_settings
    from django.urls import path

    def broken(request):
        raise RuntimeError("the wire desk is down")

    urls = types.ModuleType("broken_urls")
    urls.urlpatterns = [path("broken/", broken)]
    sys.modules["broken_urls"] = urls
    with override_settings(ROOT_URLCONF="broken_urls", ALLOWED_HOSTS=["testserver"]):
        status = Client(raise_request_exception=False).get("/broken/").status_code
    print(json.dumps({
        "status": status,
        "debug": settings.DEBUG,
        "admins": settings.ADMINS,
        "mails": [m.to for m in mail.outbox],
        "from": [m.from_email for m in mail.outbox],
    }))
    """
)


def test_production_logs_the_traceback_on_stderr_and_mails_the_admins(tmp_path):
    result = run_python(
        FAIL_ONCE,
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_ADMINS='Desk Lead <lead@news.example>, "Traoré, Awa" <awa@news.example>',
        DJANGO_SERVER_EMAIL="errors@news.example",
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["status"] == 500
    assert outcome["debug"] is False
    assert outcome["admins"] == [
        ["Desk Lead", "lead@news.example"],
        ["Traoré, Awa", "awa@news.example"],
    ]
    assert outcome["mails"] == [["lead@news.example", "awa@news.example"]]
    assert outcome["from"] == ["errors@news.example"]
    assert "ERROR django.request: Internal Server Error: /broken/" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: the wire desk is down" in result.stderr


def test_production_without_admins_logs_and_mails_nobody(tmp_path):
    result = run_python(
        FAIL_ONCE, **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["status"] == 500
    assert outcome["mails"] == []
    assert "RuntimeError: the wire desk is down" in result.stderr


def test_a_malformed_admins_setting_is_refused_clearly():
    result = run_python(
        "import django; django.setup()", DJANGO_ADMINS="Desk Lead, the night editor"
    )
    assert result.returncode != 0
    assert "DJANGO_ADMINS" in result.stderr
    assert "is not an e-mail address" in result.stderr


def test_mail_settings_come_from_the_environment():
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.EMAIL_HOST, settings.EMAIL_PORT,"
        " settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_TIMEOUT,"
        " settings.SERVER_EMAIL]))"
    )
    result = run_python(
        code,
        DJANGO_EMAIL_HOST="smtp.news.example",
        DJANGO_EMAIL_PORT="587",
        DJANGO_EMAIL_USE_TLS="1",
        DJANGO_EMAIL_HOST_USER="newsroom",
        DJANGO_SERVER_EMAIL="errors@news.example",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "smtp.news.example",
        587,
        True,
        "newsroom",
        10,
        "errors@news.example",
    ]
