"""API routes under ``/api/v1/``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api

tenant_router = DefaultRouter(trailing_slash=True)
tenant_router.include_root_view = False
tenant_router.register("organizations", api.OrganizationViewSet, basename="organization")
tenant_router.register(
    r"organizations/(?P<organization_pk>\d+)/contacts", api.ContactViewSet, basename="organization-contact"
)

urlpatterns = [
    path("me/tenants/", api.MyTenantsView.as_view(), name="api-my-tenants"),
    path("regions/", api.RegionListView.as_view(), name="api-regions"),
    path("t/<slug:tenant_slug>/", include(tenant_router.urls)),
    path("t/<slug:tenant_slug>/", include("partnerships.api_urls")),
    path("t/<slug:tenant_slug>/", include("programs.api_urls")),
    path("t/<slug:tenant_slug>/", include("reporting.api_urls")),
]
