"""The environment decides the backends; production refuses unsafe defaults."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches

from articles.tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-random-production-key-" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "news.example",
    "DJANGO_SECURE_SSL": "1",
}


def run_python(code, **env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))
    }
    clean.pop("DATABASE_URL", None)
    clean.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def backends(**env):
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.DATABASES['default']['ENGINE'],"
        " settings.CACHES['default']['BACKEND'], settings.DEBUG]))"
    )
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_default():
    assert backends() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        False,
    ]


def test_scale_out_from_the_environment():
    assert backends(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_DEBUG="1",
    ) == ["django.db.backends.postgresql", "django_redis.cache.RedisCache", True]


def test_production_server_refuses_the_development_key():
    result = run_python("import newsroom.wsgi")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_server_starts_with_a_real_key():
    result = run_python("import newsroom.wsgi", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_with_every_security_setting_in_use():
    """The desk's security settings, all set as a newsroom would in production."""
    env = {
        **PRODUCTION,
        "DJANGO_REQUIRE_2FA_FOR_EDITORS": "1",
        "DJANGO_TRUSTED_PROXY_COUNT": "2",
        "DJANGO_LOGIN_FAILURE_LIMIT": "8",
        "DJANGO_LOGIN_COOLOFF_MINUTES": "30",
        "DJANGO_SESSION_IDLE_HOURS": "9",
        "DJANGO_ADMINS": "Desk Lead <lead@news.example>",
        "DJANGO_SERVER_EMAIL": "errors@news.example",
        "DJANGO_EMAIL_HOST": "smtp.news.example",
        "DJANGO_EMAIL_PORT": "587",
        "DJANGO_EMAIL_USE_TLS": "1",
        "DJANGO_MEDIA_URL": "https://media.news.example/",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_turns_the_security_settings_on():
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({"
        "'session_secure': settings.SESSION_COOKIE_SECURE,"
        "'csrf_secure': settings.CSRF_COOKIE_SECURE,"
        "'hsts': settings.SECURE_HSTS_SECONDS,"
        "'session_age': settings.SESSION_COOKIE_AGE,"
        "'proxies': settings.TRUSTED_PROXY_COUNT,"
        "'lockout': settings.AXES_FAILURE_LIMIT,"
        "'backends': settings.AUTHENTICATION_BACKENDS,"
        "'csp': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['default-src'],"
        "'middleware': settings.MIDDLEWARE}))"
    )
    result = run_python(code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["session_secure"] and facts["csrf_secure"]
    assert facts["hsts"] == 31_536_000
    assert facts["session_age"] == 10 * 3600
    assert facts["proxies"] == 1
    assert facts["lockout"] == 5
    assert facts["backends"][0] == "desk_security.throttle.LockoutBackend"
    assert facts["csp"] == ["'none'"]
    middleware = facts["middleware"]
    # Headers outside the page cache, so cached hits carry them; axes last.
    cache = middleware.index("pagecache.middleware.AnonymousPageCacheMiddleware")
    assert middleware.index("desk_security.headers.PermissionsPolicyMiddleware") < cache
    assert (
        middleware.index("desk_security.headers.ContentSecurityPolicyMiddleware")
        < cache
    )
    assert middleware[-1] == "axes.middleware.AxesMiddleware"
    assert middleware.index("django_otp.middleware.OTPMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


@pytest.fixture
def redis_cache(settings):
    def configure(url):
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "newsroom-tests",
                "OPTIONS": {
                    "IGNORE_EXCEPTIONS": True,
                    "SOCKET_CONNECT_TIMEOUT": 0.2,
                    "SOCKET_TIMEOUT": 0.2,
                },
            }
        }
        settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
        return caches["default"]

    return configure


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_redis_outage_degrades_to_a_miss(redis_cache, client, caplog):
    cache = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    cache.set("headline", "kept")
    assert cache.get("headline") is None
    assert "Exception ignored" in caplog.text
    ArticleFactory(topics=["Mali"])
    assert client.get("/").status_code == 200
    assert client.get("/topics/mali/").status_code == 200


def test_redis_cache_round_trip(redis_cache):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379 to test against")
    cache = redis_cache("redis://127.0.0.1:6379/15")
    cache.set("headline", "Charter signed", 30)
    assert cache.get("headline") == "Charter signed"
    cache.delete("headline")
