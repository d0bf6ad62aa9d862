"""What `/healthz` says: plain lines naming what is down."""

from django.db import connection

from . import mirror, outage


def health():
    """(status, text) for /healthz: plain lines saying what is down.

    The database down is a 503: nothing but cached pages can be served. Redis
    down alone is a 200 with a warning line: every page is still served (from the
    database and each worker's own memory), and a load balancer that took every
    server out because the shared cache failed would turn a slowdown into an
    outage.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as error:  # whatever stops the query, the database is down
        outage.warn(error)
        database = "down"
    redis = mirror.redis_health()
    if database == "down":
        lines = ["database: down"] + ([f"redis: {redis}"] if redis else [])
        return 503, "\n".join(lines) + "\n"
    if redis == "down":
        return 200, "ok\nredis: down (pages are served without the shared cache)\n"
    return 200, "ok"
