"""Pages under ``/t/<tenant_slug>/notifikasi/``."""

from django.urls import path

from . import notification_views

urlpatterns = [
    path("", notification_views.notification_list, name="notification_list"),
    path("baca-semua/", notification_views.notification_read_all, name="notification_read_all"),
    path("<int:pk>/buka/", notification_views.notification_open, name="notification_open"),
]
