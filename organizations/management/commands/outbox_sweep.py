from django.core.management.base import BaseCommand

from organizations.outbox import outbox_sweep


class Command(BaseCommand):
    help = (
        "Publish the background jobs the broker refused or lost (what the beat task does every minute); "
        "run it by hand or from cron when beat itself cannot reach Redis. Safe to run concurrently."
    )

    def handle(self, *args, **options):
        result = outbox_sweep()
        self.stdout.write(
            f"Outbox: {result.sent} published, {result.pending} still pending, "
            f"{result.gave_up} given up, {result.purged} old rows deleted"
        )
