"""API routes under ``/api/v1/t/<tenant_slug>/``."""

from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("agreements", api.AgreementViewSet, basename="agreement")
router.register(r"agreements/(?P<agreement_pk>\d+)/obligations", api.ObligationViewSet, basename="agreement-obligation")
router.register(r"agreements/(?P<agreement_pk>\d+)/amendments", api.AmendmentViewSet, basename="agreement-amendment")
router.register(r"agreements/(?P<agreement_pk>\d+)/documents", api.DocumentViewSet, basename="agreement-document")

urlpatterns = router.urls
