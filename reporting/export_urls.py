"""Exports under ``/t/<tenant_slug>/ekspor/``."""

from django.urls import path

from . import export_views

urlpatterns = [
    path("pekerjaan/<int:job_pk>/", export_views.export_status, name="export_status"),
    path("pekerjaan/<int:job_pk>/unduh/", export_views.export_download, name="export_download"),
    path("<slug:name>.<str:fmt>", export_views.export_list, name="export_list"),
]
