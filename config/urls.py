from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from organizations import account_views
from reporting import survey_views


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", lambda request: redirect("tenant_chooser"), name="root"),
    path("healthz", healthz, name="healthz"),
    path("pilih-dinas/", account_views.tenant_chooser, name="tenant_chooser"),
    path("akun/profil/", account_views.profile, name="profile"),
    path("akun/token/<str:token_key>/cabut/", account_views.token_revoke, name="token_revoke"),
    path("akun/", include("allauth.urls")),
    path("undangan/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
    path("survei/<str:token>/", survey_views.survey_public, name="survey_public"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("t/<slug:tenant_slug>/kemitraan/", include("partnerships.urls")),
    path("t/<slug:tenant_slug>/program/", include("programs.urls")),
    path("t/<slug:tenant_slug>/dana/", include("programs.fund_urls")),
    path("t/<slug:tenant_slug>/tinjauan/", include("reporting.urls")),
    path("t/<slug:tenant_slug>/laporan/", include("reporting.report_urls")),
    path("t/<slug:tenant_slug>/ekspor/", include("reporting.export_urls")),
    path("t/<slug:tenant_slug>/notifikasi/", include("organizations.notification_urls")),
    path("t/<slug:tenant_slug>/", include("organizations.urls")),
    path("api/v1/", include("organizations.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]
