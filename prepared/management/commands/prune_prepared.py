"""Delete the prepared pages that can never be served again (expired).

A copy holds at most PREPARED_PAGE_SECONDS, so run this about as often (cron,
or a systemd timer) and the table keeps about one copy per page read within
that time. Deletes in batches, so the site's writers never wait long.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from pagecache.clocks import micros
from prepared.models import PreparedPage

BATCH = 1000


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args, **options):
        started = time.monotonic()
        now = micros(timezone.now())
        expired = PreparedPage.objects.filter(expires_us__lte=now)
        total = expired.count()
        deleted = 0
        while True:
            batch = list(expired.values_list("address", flat=True)[:BATCH])
            if not batch:
                break
            deleted += PreparedPage.objects.filter(address__in=batch).delete()[0]
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {deleted:,} of {total:,} deleted")
        kept = PreparedPage.objects.count()
        self.stdout.write(
            f"Prepared pages: {deleted:,} expired deleted, {kept:,} kept, "
            f"in {time.monotonic() - started:.1f} s."
        )
