"""Login throttling with django-axes: who is knocking, and what they are told.

Failures are counted per account and per address (`AXES_LOCKOUT_PARAMETERS`); past
`AXES_FAILURE_LIMIT` within the cool-off both are refused, the right password
included, until `AXES_COOLOFF_TIME` has passed with no further failure.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import ngettext


def client_ip(request):
    """The address a login comes from, as axes records it.

    `REMOTE_ADDR`, unless `TRUSTED_PROXY_COUNT` proxies stand in front of the app
    (each appending the address it saw to X-Forwarded-For): then the entry the
    outermost of them added. Entries further left are whatever the client sent,
    so they are never believed. An IPv6 address counts as its /64, the block one
    subscriber holds.
    """
    address = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if forwarded:
            # Fewer entries than proxies: the client reached an inner proxy
            # directly, and the leftmost entry is the one that proxy added.
            address = forwarded[-min(count, len(forwarded))]
    return _normalise(address)


def _normalise(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def username_key(request, credentials):
    """`Editor`, ` editor` and `EDITOR` are one account to count failures against,
    so changing case does not buy an attacker more guesses."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().casefold() if username else None


def cool_off_minutes():
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message():
    minutes = cool_off_minutes()
    return ngettext(
        "Too many failed logins for this account or from this address. Try again "
        "in %(minutes)d minute, or ask an administrator to unlock the account.",
        "Too many failed logins for this account or from this address. Try again "
        "in %(minutes)d minutes, or ask an administrator to unlock the account.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """A locked-out login gets the login page back, saying so, with status 429.

    The desk's login form has already put the lockout message on the page; any
    other login surface gets the message as plain text.
    """
    if isinstance(original_response, TemplateResponse) and (
        original_response.status_code == 200
    ):
        original_response.status_code = 429
        return original_response
    return HttpResponse(
        lockout_message(),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


class LockoutBackend(AxesStandaloneBackend):
    """axes' lockout check, for logins that come with a request.

    `authenticate()` without a request is code, not a visitor (a test, the shell, a
    command): there is no address to count and nobody to lock out, so this backend
    has no opinion instead of raising. Every login surface of the site (the admin's
    form) passes its request and is throttled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
