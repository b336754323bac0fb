"""Pages under ``/t/<tenant_slug>/kemitraan/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("baru/", views.agreement_create, name="agreement_create"),
    path("baris-pihak/", views.agreement_party_row, name="agreement_party_row"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/ubah/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/langkah/<str:action>/", views.agreement_transition, name="agreement_transition"),
    path("<int:pk>/dokumen/", views.document_upload, name="document_upload"),
    path("<int:pk>/dokumen/<int:document_pk>/unduh/", views.document_download, name="document_download"),
    path("<int:pk>/dokumen/<int:document_pk>/hapus/", views.document_delete, name="document_delete"),
    path("<int:pk>/adendum/baru/", views.amendment_create, name="amendment_create"),
    path("<int:pk>/kewajiban/", views.obligation_create, name="obligation_create"),
    path("<int:pk>/kewajiban/<int:obligation_pk>/selesai/", views.obligation_toggle, name="obligation_toggle"),
    path("<int:pk>/kewajiban/<int:obligation_pk>/hapus/", views.obligation_delete, name="obligation_delete"),
]
