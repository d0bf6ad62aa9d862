"""Send the edge purges that are due, after enqueuing those of scheduled moments.

Run it every minute from cron (`manage.py send_purges`), or as a small service
(`manage.py send_purges --every 30`): it purges what scheduled publication and
expiry changed, retries failed purges with backoff, and merges what waited for
the provider's rate limit.
"""

import time

from django.core.management.base import BaseCommand

from edge import clock, conf, sending


class Command(BaseCommand):
    help = "Send due edge purges (and those of scheduled publications and expiries)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=0, help="Repeat every N seconds, forever."
        )

    def handle(self, *args, every=0, **options):
        if not conf.get("EDGE_PURGE_BACKEND"):
            self.stdout.write("EDGE_PURGE_BACKEND is not set: nothing to purge.")
            return
        while True:
            keys = clock.catch_up()
            calls = sending.send()
            self.stdout.write(f"{len(keys)} scheduled keys, {calls} purge calls made.")
            if not every:
                return
            time.sleep(every)
