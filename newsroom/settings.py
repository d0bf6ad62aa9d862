"""Settings for the AES Newsroom, read from the environment with safe defaults.

With nothing set it runs on SQLite, the local filesystem and a local-memory cache.
`DATABASE_URL`, `REDIS_URL` and `MEDIA_ROOT` (or `DJANGO_S3_BUCKET`) point the same
code at PostgreSQL, Redis and shared storage. See README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from newsroom.env import env_addresses, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", False)

# Management commands and tests run with the development key; the WSGI and ASGI
# entry points refuse it when debug is off (see newsroom/wsgi.py).
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-for-local-use-only"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    # Django's admin on the desk's site: throttled login, two-factor codes, and
    # malformed object ids answered 404 (newsroom/admin_site.py).
    "newsroom.apps.NewsroomAdminConfig",
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
    # The desk's defences (desk_security/): security headers, login throttling,
    # two-factor authentication.
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The page cache (pagecache/), before the content app that registers with it.
    "pagecache",
    # Shared-cache headers, surrogate keys and the purge outbox (edge/).
    "edge",
    "prepared",
    "articles",
    "desk_security",
]
# The demo content and seeding tools (demo/: load_demo, create_demo_editor,
# seed_corpus), on for `make run`, the tests and the benchmarks. A production
# site sets DJANGO_DEMO=0: no command there loads made-up stories or makes a
# desk account whose password is in the README. Nothing else depends on them.
if env_bool("DJANGO_DEMO", default=True):
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # Outside the page cache: cached hits, static files and redirects get the same
    # Content-Security-Policy and Permissions-Policy as a fresh page.
    "desk_security.headers.PermissionsPolicyMiddleware",
    "desk_security.headers.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL in the address or a cookie answers 400 before anything reads it.
    "newsroom.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /favicon.ico and uploads (with DJANGO_SERVE_MEDIA), before the page machinery.
    "newsroom.delivery.FilesMiddleware",
    # Outside the page cache, so fresh pages are compressed too; never an answer
    # that depends on a cookie (BREACH: see newsroom/delivery.py).
    "newsroom.delivery.PublicGZipMiddleware",
    # The language is the address's (the default edition's, or /fr/...): before
    # the page cache, which keys pages by address alone (articles/editions.py).
    "articles.editions.EditionMiddleware",
    # Anonymous pages from the cache before sessions, CSRF and auth (see its docs).
    "pagecache.middleware.AnonymousPageCacheMiddleware",
    # Right inside it: Cache-Control and surrogate keys, stored with cached pages.
    "edge.middleware.EdgeHeadersMiddleware",
    # Right inside it: a public page from its copy prepared ahead (prepared/).
    "prepared.middleware.PreparedPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "desk_security.sessions.SlidingSessionMiddleware",
    "desk_security.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that finds the database gone answers 503, not 500.
    "pagecache.outage.DatabaseOutageMiddleware",
    # Last, as axes asks: turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
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
                "articles.editions.home_links",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that stops answering fails a request in seconds rather than
    # holding the worker for the system's TCP timeout (minutes).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5"))
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers alongside one writer, as a small site on one machine needs.
    DATABASES["default"]["OPTIONS"] = {
        # A 64 MB page cache per connection (SQLite's default is 2 MB): counting a
        # common word's matches at 100,000 stories reads ~27,000 rows, which
        # otherwise go back to the OS on every search (issue 18: -10 to -20 %).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        # Seconds a write waits for another writer's lock before giving up.
        "timeout": float(os.environ.get("DJANGO_SQLITE_BUSY_TIMEOUT", "20")),
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
                # After a command times out, none is sent for a few seconds: a
                # hung Redis costs one timeout per process, not one per command.
                "REDIS_CLIENT_CLASS": "pagecache.breaker.BreakerRedis",
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

# Seconds a process stops asking a Redis that did not answer (pagecache/breaker.py),
# and stops reading the content generation from a database that did not (cached
# pages are served stale meanwhile).
REDIS_BREAKER_SECONDS = float(os.environ.get("DJANGO_REDIS_BREAKER_SECONDS", "5"))
DATABASE_BREAKER_SECONDS = float(os.environ.get("DJANGO_DATABASE_BREAKER_SECONDS", "2"))

# Anonymous readers' pages are cached this long at most; any change to the content
# invalidates them at once (pagecache/generation.py). 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
# After a change, how long a request waits for the copy another is rendering
# (pagecache/flight.py) before it renders the page itself.
PAGE_CACHE_RENDER_WAIT = float(os.environ.get("DJANGO_PAGE_CACHE_RENDER_WAIT", "3"))
# Paths the page cache never answers: the desk, story previews, the benchmark's
# reference view, and /healthz, which must ask the database every time.
PAGE_CACHE_SKIP_PATHS = ("/admin/", "/preview/", "/bench/", "/healthz")

# Edge caching (edge/conf.py has every setting and its default; README "Edge
# caching"): how long a CDN or Varnish keeps a public page, who is purged.
# A page prepared ahead (prepared/) holds at most this long: a story page's
# related list picks up stories published since within it. 0: none kept.
PREPARED_PAGE_SECONDS = int(os.environ.get("DJANGO_PREPARED_PAGE_SECONDS", "3600"))
EDGE_CACHE_SECONDS = int(os.environ.get("DJANGO_EDGE_CACHE_SECONDS", "600"))
EDGE_BROWSER_SECONDS = int(os.environ.get("DJANGO_EDGE_BROWSER_SECONDS", "0"))
EDGE_STALE_IF_ERROR = int(os.environ.get("DJANGO_EDGE_STALE_IF_ERROR", "86400"))
# "" (no edge to purge), "varnish", "fastly" or "cloudflare".
EDGE_PURGE_BACKEND = os.environ.get("DJANGO_EDGE_PURGE_BACKEND", "")
EDGE_VARNISH_URLS = env_list("DJANGO_EDGE_VARNISH_URLS", "http://127.0.0.1:6081/")
EDGE_FASTLY_SERVICE = os.environ.get("DJANGO_EDGE_FASTLY_SERVICE", "")
EDGE_FASTLY_TOKEN = os.environ.get("DJANGO_EDGE_FASTLY_TOKEN", "")
EDGE_CLOUDFLARE_ZONE = os.environ.get("DJANGO_EDGE_CLOUDFLARE_ZONE", "")
EDGE_CLOUDFLARE_TOKEN = os.environ.get("DJANGO_EDGE_CLOUDFLARE_TOKEN", "")
# Purge calls a minute (0: no limit); Cloudflare's free plan allows 5.
EDGE_PURGE_CALLS_PER_MINUTE = int(os.environ.get("DJANGO_EDGE_PURGE_CALLS", "0"))
EDGE_RECORD_CHANGES = env_bool("DJANGO_EDGE_RECORD_CHANGES", True)  # prepared/ needs it

# While the database does not answer: what the 503 page tells clients to wait (s).
OUTAGE_RETRY_AFTER = int(os.environ.get("DJANGO_OUTAGE_RETRY_AFTER", "30"))

AUTHENTICATION_BACKENDS = [
    # First: refuses any login, right password or not, while the account or the
    # address is locked out (desk_security/throttle.py).
    "desk_security.throttle.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes). Failures count per account and per address;
# after AXES_FAILURE_LIMIT of them both are refused for the cool-off, which starts
# again with each further failure. `manage.py axes_reset` (or deleting the access
# attempt in the admin) unlocks at once.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "desk_security.throttle.username_key"
AXES_CLIENT_IP_CALLABLE = "desk_security.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "desk_security.throttle.lockout_response"
# Every failure is kept (not only the running count) for admins to read.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# A wrong two-factor code is never stored with the failed attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token"]
AXES_VERBOSE = False
# Proxies in front of the app that append to X-Forwarded-For (a TLS terminator,
# Varnish): the client's address is the entry the outermost one added. 0 reads
# REMOTE_ADDR only, so a forged header is never believed. Only set it when the app
# cannot be reached except through those proxies.
TRUSTED_PROXY_COUNT = int(
    os.environ.get(
        "DJANGO_TRUSTED_PROXY_COUNT",
        "1" if env_bool("DJANGO_SECURE_SSL") else "0",
    )
)

# A desk session ends after a working day without activity (sliding: every request
# moves the end forward, at most once every SESSION_REFRESH_SECONDS; see
# desk_security/sessions.py). Run `manage.py clearsessions` daily to drop the rows.
SESSION_COOKIE_AGE = int(
    float(os.environ.get("DJANGO_SESSION_IDLE_HOURS", "10")) * 3600
)
SESSION_REFRESH_SECONDS = 300
# The desk's addresses: where two-factor checks run and where activity keeps a
# session alive. Reading the public site, an editor's pages stay as every
# reader's (no `Vary: Cookie`, compressed, cacheable by the browser).
DESK_PATH_PREFIXES = ("/admin/", "/preview/")

# Two-factor authentication (django-otp, desk_security/twofactor.py): any desk
# member may turn it on under "Two-factor authentication" in the admin. Set
# DJANGO_REQUIRE_2FA_FOR_EDITORS=1 to make Editors and superusers set it up before
# they reach the desk (off by default, so the demo logins of `make run` work as
# printed).
REQUIRE_2FA_FOR_EDITORS = env_bool("DJANGO_REQUIRE_2FA_FOR_EDITORS", False)
OTP_TOTP_ISSUER = "AES Newsroom"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

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
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "newsroom.storage.StaticStorage"},
}
# Media on S3-compatible object storage (README: "Media on object storage"): with
# DJANGO_S3_BUCKET set, uploads and renditions go to the bucket, not MEDIA_ROOT.
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
if S3_BUCKET:
    from newsroom.media_settings import object_storage

    # Signed image addresses must outlive every cached copy of a page: the page
    # cache's, and the edge's with its stale-if-error.
    STORAGES["default"], MEDIA_URL = object_storage(
        os.environ,
        bucket=S3_BUCKET,
        page_cache_seconds=max(
            PAGE_CACHE_SECONDS, EDGE_CACHE_SECONDS + EDGE_STALE_IF_ERROR
        ),
    )
# Files collected by `collectstatic` are served hashed and compressed; before it has
# run (tests, `make run`, a quick start with debug off) whitenoise finds them in place.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Serve media from the app only for a single-machine site; behind a CDN set it off.
# (newsroom.delivery.FilesMiddleware serves them, with a year's Cache-Control.)
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", not S3_BUCKET)

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True
# One parser for typed topic lists, in the tag field and everywhere else.
TAGGIT_TAGS_FROM_STRING = "articles.topic_names.parse_topic_names"

# Related stories (articles/related.py): automatic candidates within this many days
# of the story come first; older ones only fill a list too short without them.
# Scores halve every RELATED_HALF_LIFE_DAYS of distance.
RELATED_MAX_AGE_DAYS = int(os.environ.get("RELATED_MAX_AGE_DAYS", "365"))
RELATED_HALF_LIFE_DAYS = int(os.environ.get("RELATED_HALF_LIFE_DAYS", "60"))
RELATED_CANDIDATES_PER_TOPIC = 30
# Seconds the shared cache keeps one generation's topic counts (rarity weights).
TOPIC_STATS_TTL = 300
# After a change to the counts, one process recounts; the others wait this long
# for its result before counting themselves (articles/topics.py).
TOPIC_STATS_WAIT = float(os.environ.get("DJANGO_TOPIC_STATS_WAIT", "3"))

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

# Content-Security-Policy (django-csp; desk_security/headers.py picks one per part
# of the site). The public site runs no script at all; JSON-LD blocks are data,
# which the browser does not execute, so `default-src 'none'` leaves them alone.
# Images may come from the media host when media live elsewhere (a CDN).
_MEDIA_ORIGIN = (
    "/".join(MEDIA_URL.split("/")[:3]) if MEDIA_URL.startswith("http") else None
)
_IMAGES = [SELF, "data:", *([_MEDIA_ORIGIN] if _MEDIA_ORIGIN else [])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "img-src": _IMAGES,
        "style-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}
CONTENT_SECURITY_POLICY_BY_PATH = {
    # The admin runs its own scripts (Django's, select2, the rich-text editor) from
    # our static files, and nothing from anywhere else; the editor's import map is
    # inline, so it carries the request's nonce. Styles may be inline: the editor
    # injects its own and admin widgets set style attributes.
    "/admin/": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": _IMAGES,
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
    # Swagger UI: its script, styles and the schema it fetches, all from here.
    "/api/docs": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}
# Feeds and sitemaps: no script either; the browser's own XML viewer styles the tree
# it shows with inline styles and data: images.
CONTENT_SECURITY_POLICY_XML = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
}
# Features no page of ours uses, off for every page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Errors reach someone: every 500 is logged with its traceback on stderr and, when
# DJANGO_ADMINS is set, mailed to them (newsroom/errors.py says so on stderr when
# the mail cannot go). The mail server is DJANGO_EMAIL_HOST:DJANGO_EMAIL_PORT.
ADMINS = env_addresses("DJANGO_ADMINS")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "newsroom@localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", SERVER_EMAIL)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
# A mail server that does not answer must not hold a worker for long.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
EMAIL_SUBJECT_PREFIX = "[AES Newsroom] "
DEFAULT_EXCEPTION_REPORTER_FILTER = "newsroom.errors.ReportFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        # A Redis outage is logged by its circuit breaker, once, not on every call.
        "not_short_circuited": {"()": "pagecache.breaker.NotShortCircuited"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        # stderr, where gunicorn and any process manager collect it.
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["not_short_circuited"],
        },
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "newsroom.errors.ReportingAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Up to the root's console, and errors (500s) to ADMINS as well.
        "django": {"handlers": ["mail_admins"], "level": "WARNING"},
        "django_redis": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}
LOGIN_URL = "admin:login"
