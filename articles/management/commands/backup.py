from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from articles import backups


class Command(BaseCommand):
    help = (
        "Write one archive holding the database (pg_dump -Fc on PostgreSQL, an online "
        "copy on SQLite), every file under MEDIA_ROOT (not a bucket's: see README, "
        "Backups) and a manifest with counts and checksums. The file appears only "
        "when complete."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the archive, e.g. site.tar")

    def handle(self, *args, file, verbosity, **options):
        report = self.stdout.write if verbosity >= 1 else (lambda line: None)
        bucket = getattr(settings, "S3_BUCKET", "")
        if bucket:
            report(
                f"Media live in the bucket {bucket!r}: this archive holds the "
                "database only. Keep the bucket's own versioning or replication "
                "(README: Backups)."
            )
        try:
            summary = backups.write_backup(
                path=file,
                connection=connections[DEFAULT_DB_ALIAS],
                media_root=None if bucket else settings.MEDIA_ROOT,
                report=report,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(
                f"The database reported an error: {error}. No archive was written."
            ) from error
        except KeyboardInterrupt as error:
            raise CommandError("Interrupted; no archive was written.") from error
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary.line()))
