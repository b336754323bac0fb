"""The project's routes plus the harness-only floor of the agreement list."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

from .floor import FloorAgreementList

urlpatterns = [
    *project_urlpatterns,
    path("bench/floor/agreements/", FloorAgreementList.as_view(), name="bench-floor-agreements"),
]
