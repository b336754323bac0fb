from django.core.management.base import BaseCommand

from organizations.demo import DEMO_PASSWORD, seed_demo
from partnerships.demo import serang_agreement_count
from programs.demo import serang_program_counts


class Command(BaseCommand):
    help = "Create the Kabupaten Serang demo tenant (and a small second tenant). Idempotent."

    def handle(self, *args, **options):
        agreements_before = serang_agreement_count()
        programs_before = serang_program_counts()["programs"]
        accounts = seed_demo()
        agreements = serang_agreement_count()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/ with:"))
        for tenant, email, role in accounts:
            self.stdout.write(f"  {email:<38} {role:<12} {tenant}")
        self.stdout.write(f"  password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"Kabupaten Serang agreements: {agreements} ({agreements - agreements_before} new)")
        p = serang_program_counts()
        self.stdout.write(
            f"Kabupaten Serang programs: {p['programs']} ({p['programs'] - programs_before} new), "
            f"{p['indicators']} indicators, {p['updates']} progress updates, {p['milestones']} milestones"
        )
        self.stdout.write(_funds_and_reviews())


def _funds_and_reviews() -> str:
    from organizations.tenancy import scopes_disabled
    from programs.models import Fund, LedgerEntry
    from reporting.models import HealthReview, SurveyResponse

    with scopes_disabled():
        serang = {"tenant__slug": "serang"}
        return (
            f"Kabupaten Serang shared funds: {Fund.unscoped.filter(**serang).count()} "
            f"({LedgerEntry.unscoped.filter(**serang).count()} ledger entries); health reviews: "
            f"{HealthReview.unscoped.filter(**serang).count()} over "
            f"{HealthReview.unscoped.filter(**serang).values('period').distinct().count()} periods; "
            f"survey answers: {SurveyResponse.unscoped.filter(**serang).count()}"
        )
