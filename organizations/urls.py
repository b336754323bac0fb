"""Pages under ``/t/<tenant_slug>/``."""

from django.urls import path

from . import account_views, views

urlpatterns = [
    path("", views.tenant_home, name="tenant_home"),
    path("organisasi/", views.organization_list, name="organization_list"),
    path("organisasi/baru/", views.organization_create, name="organization_create"),
    path("organisasi/impor/", views.organization_import, name="organization_import"),
    path("organisasi/impor/templat.<str:fmt>", views.organization_import_template, name="organization_import_template"),
    path("organisasi/impor/<int:pk>/", views.organization_import_detail, name="organization_import_detail"),
    path(
        "organisasi/impor/<int:pk>/konfirmasi/", views.organization_import_confirm, name="organization_import_confirm"
    ),
    path("organisasi/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organisasi/<int:pk>/ubah/", views.organization_edit, name="organization_edit"),
    path("organisasi/<int:pk>/arsip/", views.organization_archive, name="organization_archive"),
    path("organisasi/<int:pk>/hapus/", views.organization_delete, name="organization_delete"),
    path("organisasi/<int:pk>/riwayat/", views.organization_history, name="organization_history"),
    path("organisasi/<int:pk>/kontak/baru/", views.contact_edit, name="contact_create"),
    path("organisasi/<int:pk>/kontak/<int:contact_pk>/ubah/", views.contact_edit, name="contact_edit"),
    path("organisasi/<int:pk>/kontak/<int:contact_pk>/hapus/", views.contact_delete, name="contact_delete"),
    path("wilayah/cari/", views.region_search, name="region_search"),
    path("anggota/", account_views.member_list, name="member_list"),
    path("jejak-audit/", account_views.audit_log, name="audit_log"),
    path("anggota/verifikasi-dua-langkah/", account_views.tenant_mfa_policy, name="tenant_mfa_policy"),
    path("anggota/undang/", account_views.invitation_create, name="invitation_create"),
    path("anggota/undangan/<int:pk>/batal/", account_views.invitation_revoke, name="invitation_revoke"),
    path("anggota/<int:pk>/ubah/", account_views.member_edit, name="member_edit"),
    path("anggota/<int:pk>/hapus/", account_views.member_remove, name="member_remove"),
    # Sections whose issues are not built yet: each says so plainly.
]
