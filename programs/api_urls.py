"""API routes under ``/api/v1/t/<tenant_slug>/``."""

from rest_framework.routers import DefaultRouter

from . import api, fund_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("programs", api.ProgramViewSet, basename="program")
router.register("indicators", api.IndicatorViewSet, basename="indicator")
router.register("periods", api.ReportingPeriodViewSet, basename="period")
router.register("progress-updates", api.ProgressUpdateViewSet, basename="progress-update")
router.register("milestones", api.MilestoneViewSet, basename="milestone")
router.register("funds", fund_api.FundViewSet, basename="fund")
router.register(r"funds/(?P<fund_pk>\d+)/pledges", fund_api.PledgeViewSet, basename="fund-pledge")
router.register(r"funds/(?P<fund_pk>\d+)/disbursements", fund_api.DisbursementViewSet, basename="fund-disbursement")
router.register(r"funds/(?P<fund_pk>\d+)/ledger-entries", fund_api.LedgerEntryViewSet, basename="fund-ledger-entry")

urlpatterns = router.urls
