from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations and tenancy")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers system checks)
            signals,  # noqa: F401  (drops cached memberships)
        )
