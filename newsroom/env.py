"""Reading settings from the environment: flags, lists and e-mail addresses."""

import os
from email.utils import getaddresses


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


def env_addresses(name):
    """`Name <a@b>, Other <c@d>` as Django's [(name, address), ...]."""
    value = os.environ.get(name, "")
    pairs = [(n, a) for n, a in getaddresses([value]) if n or a]
    for _, address in pairs:
        if "@" not in address:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"{name}: {address!r} is not an e-mail address; write "
                '"Name <name@example.org>, Other <other@example.org>".'
            )
    return [(n or a, a) for n, a in pairs]
