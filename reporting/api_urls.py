"""API routes under ``/api/v1/t/<tenant_slug>/`` for health reviews."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api, dashboard_views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("health-reviews", api.HealthReviewViewSet, basename="health-review")
router.register("review-runs", api.ReviewRunViewSet, basename="review-run")
router.register("survey-rounds", api.SurveyRoundViewSet, basename="survey-round")

urlpatterns = [
    path("review-weights/", api.ReviewWeightsView.as_view(), name="review-weights"),
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="api-dashboard"),
    *router.urls,
]
