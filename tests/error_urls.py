"""A URLconf for tests/test_error_guard.py only: one view that fails."""

from django.urls import path


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken)]
