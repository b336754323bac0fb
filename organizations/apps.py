from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations and tenancy")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401  (registers system checks)
            rls,  # noqa: F401  (sends each statement's tenant settings to PostgreSQL)
            signals,  # noqa: F401  (drops cached memberships)
        )

        post_migrate.connect(_install_rls_policies, sender=self, dispatch_uid="mitrasehat_rls_policies")


def _install_rls_policies(sender, using="default", **kwargs) -> None:
    from . import rls

    rls.install_policies(using=using)
