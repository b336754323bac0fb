"""Pages under ``/t/<tenant_slug>/program/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("baru/", views.program_create, name="program_create"),
    path("laporan-saya/", views.my_reports, name="my_reports"),
    path("persetujuan/", views.review_queue, name="review_queue"),
    path("persetujuan/setujui-semua/", views.review_bulk_approve, name="review_bulk_approve"),
    path("laporan/<int:update_pk>/<str:decision>/", views.update_review, name="update_review"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/ubah/", views.program_edit, name="program_edit"),
    path("<int:pk>/indikator/baru/", views.indicator_create, name="indicator_create"),
    path("<int:pk>/indikator/spm/", views.indicator_add_spm, name="indicator_add_spm"),
    path("<int:pk>/indikator/lembar/", views.indicator_sheet_list, name="indicator_sheet_list"),
    path("<int:pk>/indikator/<int:indicator_pk>/", views.indicator_detail, name="indicator_detail"),
    path(
        "<int:pk>/indikator/<int:indicator_pk>/target/", views.indicator_revise_target, name="indicator_revise_target"
    ),
    path("<int:pk>/tonggak/", views.milestone_create, name="milestone_create"),
    path("<int:pk>/tonggak/<int:milestone_pk>/selesai/", views.milestone_toggle, name="milestone_toggle"),
    path("<int:pk>/tonggak/<int:milestone_pk>/bukti/", views.milestone_evidence, name="milestone_evidence"),
    path("<int:pk>/lapor/<int:period_pk>/", views.report_form, name="report_form"),
    path("<int:pk>/lapor/<int:period_pk>/buka-kembali/", views.period_reopen, name="period_reopen"),
    path("<int:pk>/bukti/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/lapor/<int:period_pk>/templat.xlsx", views.report_xlsx_template, name="report_xlsx_template"),
    path("<int:pk>/lapor/<int:period_pk>/unggah/", views.report_xlsx_upload, name="report_xlsx_upload"),
    path("<int:pk>/lapor/<int:period_pk>/unggah/simpan/", views.report_xlsx_confirm, name="report_xlsx_confirm"),
]
