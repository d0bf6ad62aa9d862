from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from articles import backups


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database and MEDIA_ROOT, "
        "then migrate forward. Checks every checksum before changing anything; "
        "refuses a target holding stories, topics, users or files unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive `backup` wrote")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database and the media files even if they hold content",
        )

    def handle(self, *args, file, force, verbosity, **options):
        report = self.stdout.write if verbosity >= 1 else (lambda line: None)
        try:
            summary = backups.restore_backup(
                path=file,
                connection=connections[DEFAULT_DB_ALIAS],
                media_root=settings.MEDIA_ROOT,
                force=force,
                report=report,
                # Media in a bucket: the archive's files are uploaded there.
                storage=default_storage if getattr(settings, "S3_BUCKET", "") else None,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(f"The database reported an error: {error}") from error
        except KeyboardInterrupt as error:
            raise CommandError("Interrupted before the restore finished.") from error
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary.line()))
