"""Settings for the AES Newsroom, read from the environment with safe defaults.

With nothing set it runs on SQLite, the local filesystem and a local-memory cache.
`DATABASE_URL`, `REDIS_URL` and `MEDIA_ROOT` point the same code at PostgreSQL,
Redis and shared storage. See README.md.
"""

import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

# Management commands and tests run with the development key; the WSGI and ASGI
# entry points refuse it when debug is off (see newsroom/wsgi.py).
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-for-local-use-only"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
if TESTING:
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "reversion",
    "django_prose_editor",
    # Serves Swagger UI for /api/docs from our static files, not from a CDN.
    "ninja",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /favicon.ico and uploads (with DJANGO_SERVE_MEDIA), before the page machinery.
    "newsroom.middleware.FilesMiddleware",
    # Outside the page cache, so fresh pages are compressed too; never an answer
    # that depends on a cookie (BREACH: see newsroom/middleware.py).
    "newsroom.middleware.PublicGZipMiddleware",
    # Anonymous pages from the cache before sessions, CSRF and auth (see its docs).
    "articles.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the switcher's cookie, else Accept-Language. No URL
    # prefixes, so every public address stays as the contract names it.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers alongside one writer, as a small site on one machine needs.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "newsroom"),
            "OPTIONS": {
                # A Redis outage degrades to cache misses, logged, not to errors.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

# Anonymous readers' pages are cached this long at most; any change to the content
# invalidates them at once (articles/cache.py). 0 turns the page cache off. Tests
# render every page unless they turn it on.
PAGE_CACHE_SECONDS = int(
    os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "0" if TESTING else "600")
)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Under tests a `collectstatic` run in this checkout (its manifest) must not change
# what pages link to: tests see the files in place unless told otherwise.
STATIC_ROOT = Path(
    os.environ.get(
        "DJANGO_STATIC_ROOT",
        BASE_DIR / (".never-collected" if TESTING else "staticfiles"),
    )
)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "newsroom.storage.StaticStorage"},
}
# Files collected by `collectstatic` are served hashed and compressed; before it has
# run (tests, `make run`, a quick start with debug off) whitenoise finds them in place.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# Serve media from the app only for a single-machine site; behind a CDN set it off.
# (newsroom.middleware.FilesMiddleware serves them, with a year's Cache-Control.)
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True
# One parser for typed topic lists, in the tag field and everywhere else.
TAGGIT_TAGS_FROM_STRING = "articles.topic_names.parse_topic_names"

# Related stories (articles/related.py): automatic candidates lie within this many
# days of the story; their score halves every RELATED_HALF_LIFE_DAYS of distance.
RELATED_MAX_AGE_DAYS = int(os.environ.get("RELATED_MAX_AGE_DAYS", "365"))
RELATED_HALF_LIFE_DAYS = int(os.environ.get("RELATED_HALF_LIFE_DAYS", "60"))
RELATED_CANDIDATES_PER_TOPIC = 30
# Seconds the shared cache keeps one generation's topic counts (rarity weights).
TOPIC_STATS_TTL = 300

SITE_NAME = "AES Newsroom"
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/")

# Security: Django's defaults kept on, plus TLS-only settings behind a proxy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if env_bool("DJANGO_SECURE_SSL"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django_redis": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}
LOGIN_URL = "admin:login"

if TESTING:
    # Hashing passwords properly is deliberately slow; tests need not be.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
