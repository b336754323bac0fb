"""API routes under ``/api/v1/t/<tenant_slug>/``."""

from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("programs", api.ProgramViewSet, basename="program")
router.register("indicators", api.IndicatorViewSet, basename="indicator")
router.register("periods", api.ReportingPeriodViewSet, basename="period")
router.register("progress-updates", api.ProgressUpdateViewSet, basename="progress-update")
router.register("milestones", api.MilestoneViewSet, basename="milestone")

urlpatterns = router.urls
