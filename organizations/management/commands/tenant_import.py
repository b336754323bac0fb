"""``manage.py tenant_import <file>``: a tenant_export file into a database without that tenant."""

from django.core.management.base import BaseCommand, CommandError

from organizations.backup import BackupError, import_tenant


class Command(BaseCommand):
    help = "Import a tenant_export file (all or nothing; primary keys and timestamps kept)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            counts = import_tenant(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{sum(counts.values())} rows of {len(counts)} models imported from {file}")
