"""The purge APIs: one call purges a list of surrogate keys.

- varnish: `PURGE /` with an `xkey-purge: k1 k2 ...` header to each of
  EDGE_VARNISH_URLS (deploy/varnish/newsroom.vcl accepts it from loopback only);
- fastly: `POST {EDGE_FASTLY_URL}/service/{service}/purge` with
  `{"surrogate_keys": [...]}` and the `Fastly-Key` token (up to 256 keys a call);
- cloudflare: `POST {EDGE_CLOUDFLARE_URL}/client/v4/zones/{zone}/purge_cache`
  with `{"tags": [...]}` and a bearer token (30 tags a call).
Each answers an `Answer`: never raises for what the network or provider says.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from . import conf

MAX_KEYS = {"varnish": 1000, "fastly": 256, "cloudflare": 30}


@dataclass(frozen=True)
class Answer:
    ok: bool
    text: str


def _call(url, *, method, headers, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(
            request, timeout=conf.get("EDGE_PURGE_TIMEOUT")
        ) as r:
            text = r.read(2000).decode("utf-8", "replace")
            return r.status, text
    except urllib.error.HTTPError as error:
        return error.code, error.read(2000).decode("utf-8", "replace")
    except (OSError, ValueError) as error:  # refused, timed out, bad URL
        return None, f"{type(error).__name__}: {error}"


def _summary(status, text):
    return f"{status or 'no answer'} {' '.join(text.split())[:300]}".strip()


def varnish(keys):
    answers, ok = [], True
    for url in conf.get("EDGE_VARNISH_URLS"):
        status, text = _call(
            url, method="PURGE", headers={"xkey-purge": " ".join(keys)}
        )
        ok = ok and status == 200
        answers.append(f"{url}: {_summary(status, text)}")
    return Answer(ok, "; ".join(answers))


def fastly(keys):
    base = conf.get("EDGE_FASTLY_URL").rstrip("/")
    status, text = _call(
        f"{base}/service/{conf.get('EDGE_FASTLY_SERVICE')}/purge",
        method="POST",
        headers={
            "Fastly-Key": conf.get("EDGE_FASTLY_TOKEN"),
            "Accept": "application/json",
        },
        body={"surrogate_keys": list(keys)},
    )
    return Answer(status == 200, _summary(status, text))


def cloudflare(keys):
    base = conf.get("EDGE_CLOUDFLARE_URL").rstrip("/")
    status, text = _call(
        f"{base}/client/v4/zones/{conf.get('EDGE_CLOUDFLARE_ZONE')}/purge_cache",
        method="POST",
        headers={"Authorization": f"Bearer {conf.get('EDGE_CLOUDFLARE_TOKEN')}"},
        body={"tags": list(keys)},
    )
    try:
        success = json.loads(text).get("success") is True
    except (ValueError, AttributeError):
        success = False
    return Answer(status == 200 and success, _summary(status, text))


BACKENDS = {"varnish": varnish, "fastly": fastly, "cloudflare": cloudflare}


def get(name):
    try:
        return BACKENDS[name]
    except KeyError:
        raise ValueError(
            f"EDGE_PURGE_BACKEND must be one of {sorted(BACKENDS)}, not {name!r}"
        ) from None


def keys_per_call(name):
    return conf.get("EDGE_PURGE_KEYS_PER_CALL") or MAX_KEYS[name]
