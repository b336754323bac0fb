from django.core.management.base import BaseCommand, CommandError

from organizations.scale import PROFILES, seed_scale


class Command(BaseCommand):
    help = "Generate benchmark data: --profile district|national [--factor N]. Reports its own time."

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="district")
        parser.add_argument("--factor", type=float, default=1.0, help="Multiply the per-tenant volumes (1, 2, 4…)")
        parser.add_argument("--seed", type=int, default=514, help="Random seed (the same seed gives the same data)")

    def handle(self, *args, profile: str, factor: float, seed: int, **options):
        if factor <= 0:
            raise CommandError("--factor must be positive")
        counts = seed_scale(profile=profile, factor=factor, seed=seed, log=self.stdout.write)
        seconds = counts.pop("seconds")
        for key, value in counts.items():
            self.stdout.write(f"  {key:<18} {value:>10,}")
        self.stdout.write(self.style.SUCCESS(f"{profile} ×{factor:g} seeded in {seconds} s"))
