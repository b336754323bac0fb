"""Celery application. Configuration lives in Django settings under the ``CELERY_`` prefix."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("mitrasehat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unsafe_database_role(**kwargs) -> None:
    """A worker refuses to start when row-level security cannot protect the tenants with its
    database role (organizations/rls.py)."""
    from organizations.rls import refuse_unsafe_role

    refuse_unsafe_role()
