"""``manage.py tenant_export <slug> <file>``: one tenant's data to a gzip JSON-lines file."""

from django.core.management.base import BaseCommand, CommandError

from organizations.backup import BackupError, export_tenant


class Command(BaseCommand):
    help = "Export one tenant's data (rows, their users and regions) to a file for tenant_import."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", help="where to write, e.g. serang.jsonl.gz")

    def handle(self, *args, slug, file, **options):
        try:
            counts = export_tenant(slug, file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{sum(counts.values())} rows of {len(counts)} models written to {file}")
