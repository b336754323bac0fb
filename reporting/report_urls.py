"""Downloads under ``/t/<tenant_slug>/laporan/``."""

from django.urls import path

from . import report_views

urlpatterns = [
    path("", report_views.report_index, name="report_index"),
    path("triwulan/", report_views.quarterly_report, name="quarterly_report"),
    path("kemitraan/<int:agreement_pk>.pdf", report_views.partnership_report_pdf, name="partnership_report_pdf"),
    path("kemitraan/<int:agreement_pk>.xlsx", report_views.partnership_report_xlsx, name="partnership_report_xlsx"),
]
