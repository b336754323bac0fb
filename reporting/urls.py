"""Pages under ``/t/<tenant_slug>/tinjauan/`` (partnership health reviews)."""

from django.urls import path

from . import survey_views, views

urlpatterns = [
    path("", views.health_overview, name="health_overview"),
    path("jalankan/", views.health_run, name="health_run"),
    path("jalankan/<int:run_pk>/", views.health_run_status, name="health_run_status"),
    path("bobot/", views.health_weights, name="health_weights"),
    path("kemitraan/<int:agreement_pk>/jalankan/", views.agreement_health_run, name="agreement_health_run"),
    path("<int:pk>/", views.health_review_detail, name="health_review_detail"),
    path("<int:pk>/konfirmasi/", views.health_review_confirm, name="health_review_confirm"),
    path("survei/", survey_views.survey_list, name="survey_list"),
    path("survei/<int:round_pk>/", survey_views.survey_detail, name="survey_detail"),
    path("survei/<int:round_pk>/tutup/", survey_views.survey_close, name="survey_close"),
    path("kemitraan/<int:agreement_pk>/survei/baru/", survey_views.survey_open, name="survey_open"),
]
