from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from articles import media

NBSP = "\xa0"


class Command(BaseCommand):
    help = (
        "List (or with --delete remove) stored media files that no story and no "
        "kept version of a story references: images replaced or never saved. A dry "
        "run unless --delete is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove the files (default: list)."
        )
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=int(media.DEFAULT_GRACE.total_seconds() // 60),
            help="Leave files younger than this alone: uploads in flight and images "
            "kept for a form that came back (default %(default)s; at least "
            f"{int(media.MIN_GRACE.total_seconds() // 60)}).",
        )

    def handle(self, *args, delete=False, grace_minutes=60, **options):
        grace = timedelta(minutes=grace_minutes)
        if grace < media.MIN_GRACE:
            raise CommandError(
                f"--grace-minutes must be at least "
                f"{int(media.MIN_GRACE.total_seconds() // 60)}: an image kept for a "
                "story form that came back can be saved with the story that long."
            )

        def progress(message):
            self.stdout.write(f"  {message}")

        self.stdout.write("Collecting what stories and their versions reference:")
        try:
            orphans, seen, young = media.find_orphans(
                storage=default_storage, grace=grace, progress=progress
            )
        except media.UnreadableVersionError as error:
            raise CommandError(f"{error}. Nothing was removed.") from error
        self.stdout.write(
            f"Looked at {seen:,} files in {', '.join(media.upload_folders())}."
        )
        removed = failed = 0
        for number, orphan in enumerate(orphans, start=1):
            line = f"[{number}/{len(orphans)}] {orphan.name} ({orphan.size:,} bytes)"
            if not delete:
                self.stdout.write(f"  would remove {line}")
                continue
            try:
                default_storage.delete(orphan.name)
            except OSError as error:
                failed += 1
                self.stderr.write(f"  could not remove {line}: {error}")
            else:
                removed += 1
                self.stdout.write(f"  removed {line}")
        total = sum(orphan.size for orphan in orphans)
        summary = (
            f"clean_media: {len(orphans):,} of {seen:,} files referenced by no story "
            f"or version ({total:,} bytes, {filesizeformat(total).replace(NBSP, ' ')}); {young:,} "
            f"younger than {grace_minutes} minutes left alone; "
        )
        if delete:
            summary += f"{removed:,} removed"
            summary += f", {failed:,} could not be removed." if failed else "."
        else:
            summary += "dry run, nothing removed (run with --delete to remove them)."
        self.stdout.write(summary)
