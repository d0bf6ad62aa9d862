"""The edge's settings, with the defaults used when a setting is absent
(newsroom/settings.py reads each from the environment)."""

from django.conf import settings

DEFAULTS = {
    # How long a shared cache keeps a public page (s-maxage); purges keep it exact.
    "EDGE_CACHE_SECONDS": 600,
    # How long a browser keeps it (max-age): none by default, since browsers are
    # never purged and a correction must show on a reader's next reload.
    "EDGE_BROWSER_SECONDS": 0,
    # A 404 or a redirect: any address may be one, so kept shorter.
    "EDGE_CACHE_404_SECONDS": 60,
    "EDGE_STALE_WHILE_REVALIDATE": 10,
    # While the origin fails, the edge serves what it has for this long.
    "EDGE_STALE_IF_ERROR": 86400,
    # More item keys than this on one page: they give way to `big`.
    "EDGE_MAX_KEYS": 200,
    # Record each key's last change (edge/changes.py), for pages prepared ahead.
    "EDGE_RECORD_CHANGES": True,
    # "", "varnish", "fastly" or "cloudflare": who is purged ("": nobody, no outbox).
    "EDGE_PURGE_BACKEND": "",
    "EDGE_VARNISH_URLS": ["http://127.0.0.1:6081/"],
    "EDGE_FASTLY_URL": "https://api.fastly.com",
    "EDGE_FASTLY_SERVICE": "",
    "EDGE_FASTLY_TOKEN": "",
    "EDGE_CLOUDFLARE_URL": "https://api.cloudflare.com",
    "EDGE_CLOUDFLARE_ZONE": "",
    "EDGE_CLOUDFLARE_TOKEN": "",
    # Purge calls allowed per minute (0: no limit; Cloudflare's free plan: 5).
    "EDGE_PURGE_CALLS_PER_MINUTE": 0,
    # Keys per call, 0 for the provider's own limit (backends.MAX_KEYS).
    "EDGE_PURGE_KEYS_PER_CALL": 0,
    "EDGE_PURGE_TIMEOUT": 3.0,
    # Send right after the change commits (else only `manage.py send_purges`).
    "EDGE_PURGE_AFTER_COMMIT": True,
    # Retries: after RETRY_SECONDS, doubled each time up to RETRY_MAX_SECONDS;
    # after MAX_ATTEMPTS the purge is marked failed (the desk's log shows it).
    "EDGE_PURGE_RETRY_SECONDS": 5,
    "EDGE_PURGE_RETRY_MAX_SECONDS": 600,
    "EDGE_PURGE_MAX_ATTEMPTS": 10,
}


BACKENDS = ("", "varnish", "fastly", "cloudflare")


def get(name):
    return getattr(settings, name, DEFAULTS[name])


def check_settings(**kwargs):
    """A system check: an unknown backend or a missing provider setting is a
    clear error at start-up, not a failed purge later."""
    from django.core.checks import Error

    backend = get("EDGE_PURGE_BACKEND")
    if backend not in BACKENDS:
        return [Error(f"EDGE_PURGE_BACKEND must be one of {BACKENDS}, not {backend!r}.",
                      id="edge.E001")]  # fmt: skip
    needed = {
        "fastly": ["EDGE_FASTLY_SERVICE", "EDGE_FASTLY_TOKEN"],
        "cloudflare": ["EDGE_CLOUDFLARE_ZONE", "EDGE_CLOUDFLARE_TOKEN"],
        "varnish": ["EDGE_VARNISH_URLS"],
    }.get(backend, [])
    return [
        Error(f"{name} must be set for EDGE_PURGE_BACKEND={backend!r}.", id="edge.E002")
        for name in needed
        if not get(name)
    ]
