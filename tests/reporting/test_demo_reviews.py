"""The demo's health reviews: two years of monthly history in which every band appears with
reasons, a partnership at risk today, partner surveys, and nothing new on a second run."""

from collections import Counter

from django.test import TestCase

from organizations.demo import seed_demo
from organizations.models import Tenant
from organizations.regions import regions_load
from organizations.tenancy import tenant_scope
from reporting.models import HealthReview, SurveyResponse


class DemoReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        regions_load(provinces=["36"])
        seed_demo()
        cls.tenant = Tenant.objects.get(slug="serang")

    def setUp(self):
        scope = tenant_scope(self.tenant)
        scope.__enter__()
        self.addCleanup(scope.__exit__, None, None, None)

    def test_every_band_appears_with_reasons(self):
        bands = Counter(HealthReview.objects.values_list("band", flat=True))
        self.assertEqual(set(bands), {"healthy", "watch", "at_risk", "insufficient", "early"})
        for review in HealthReview.objects.exclude(band="early"):
            self.assertTrue(review.reasons, review)
        self.assertGreaterEqual(HealthReview.objects.values("period").distinct().count(), 20)

    def test_one_partnership_is_at_risk_today_because_a_pledge_never_arrived(self):
        latest = {}
        for review in HealthReview.objects.order_by("review_date"):
            latest[review.agreement_id] = review
        at_risk = [r for r in latest.values() if r.band == "at_risk"]
        self.assertEqual(len(at_risk), 1)
        self.assertIn("pledge_overdue_unpaid", [f["code"] for f in at_risk[0].flags])

    def test_surveys_and_a_second_run_changes_nothing(self):
        self.assertGreaterEqual(SurveyResponse.objects.values("organization").distinct().count(), 6)
        before = HealthReview.objects.count()
        seed_demo()
        self.assertEqual(HealthReview.objects.count(), before)

    def test_the_demos_denormalised_figures_equal_a_recount(self):
        """The demo dates its reports after the services stamped them: what the dashboard reads
        (achievements, expected / received / on-time counts) must still equal a recount."""
        from programs import services
        from programs.models import ReportingPeriod

        periods = ReportingPeriod.objects.all()
        self.assertEqual(services.indicators_refresh_achieved(), 0)
        self.assertEqual(services.periods_refresh_expected(periods=periods), 0)
        self.assertEqual(services.periods_refresh_counts(periods=periods), 0)
        on_time = sum(periods.values_list("reports_on_time", flat=True))
        received = sum(periods.values_list("reports_received", flat=True))
        self.assertGreater(on_time, received // 2)  # most demo partners report on time
