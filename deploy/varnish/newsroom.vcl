# Varnish in front of the newsroom (Varnish 7, Debian's varnish + varnish-modules).
#
# - Caches anonymous GETs for as long as the origin's `s-maxage` says (Varnish
#   reads it itself), names each object by the origin's `xkey` header, and
#   drops them exactly when the origin purges those keys (edge/backends.py:
#   `PURGE /` with `xkey-purge: s42 home-en ...`), from loopback only.
# - Keeps each object for the origin's `stale-if-error` after it expires (grace):
#   while the origin is healthy only `stale-while-revalidate` seconds of it are
#   used (one stale answer while a fresh copy is fetched), while the probe says
#   it is down, all of it: readers get the last good page, not an error.
# - Requests with a session (the desk) pass; other cookies are dropped, since no
#   public page reads them (the origin marks any answer that sets one private).
#
# The backend below is the default `make run` address; the tests rewrite it.

vcl 4.1;

import std;
import xkey;

probe origin_alive {
    # Served without the database: an origin whose database is away still
    # answers from its own page cache.
    .url = "/robots.txt";
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = origin_alive;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "An xkey-purge header is required"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview|bench)/" || req.url ~ "^/healthz") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    unset req.http.Cookie;
    # Healthy origin: stale only for stale-while-revalidate (EDGE_STALE_WHILE_
    # REVALIDATE, 10 s by default); down: the object's whole grace.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Grace: the origin's stale-if-error (Varnish reads s-maxage and
    # stale-while-revalidate itself).
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-if-error=([0-9]+).*", "\1s"),
            0s);
    }
    # Anything else falls through to Varnish's own rules: Set-Cookie, private,
    # no-cache or no-store are never cached.
}

sub vcl_deliver {
    # Keys are for purging, not for readers.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
