"""Pages under ``/t/<tenant_slug>/dana/`` (shared funds)."""

from django.urls import path

from . import fund_views as views

urlpatterns = [
    path("", views.fund_list, name="fund_list"),
    path("baru/", views.fund_create, name="fund_create"),
    path("persetujuan/", views.approval_queue, name="fund_approval_queue"),
    path("<int:pk>/", views.fund_detail, name="fund_detail"),
    path("<int:pk>/komitmen/baru/", views.pledge_create, name="pledge_create"),
    path("<int:pk>/komitmen/<int:pledge_pk>/penerimaan/", views.receipt_create, name="receipt_create"),
    path("<int:pk>/pencairan/", views.disbursement_list, name="disbursement_list"),
    path("<int:pk>/pencairan/baru/", views.disbursement_create, name="disbursement_create"),
    path("<int:pk>/pencairan/<int:disbursement_pk>/", views.disbursement_detail, name="disbursement_detail"),
    path("<int:pk>/pencairan/<int:disbursement_pk>/setujui/", views.disbursement_approve, name="disbursement_approve"),
    path("<int:pk>/pencairan/<int:disbursement_pk>/tolak/", views.disbursement_reject, name="disbursement_reject"),
    path("<int:pk>/pencairan/<int:disbursement_pk>/bayar/", views.disbursement_pay, name="disbursement_pay"),
    path("<int:pk>/pencairan/<int:disbursement_pk>/bukti/", views.disbursement_evidence, name="disbursement_evidence"),
    path("<int:pk>/buku-besar/", views.ledger, name="fund_ledger"),
    path("<int:pk>/buku-besar/<int:entry_pk>/koreksi/", views.ledger_reverse, name="ledger_reverse"),
    path("<int:pk>/bukti/<int:evidence_pk>/", views.evidence_download, name="fund_evidence_download"),
]
