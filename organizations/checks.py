"""System checks for the tenancy machinery."""

from django.apps import apps
from django.core import checks


@checks.register()
def tenant_owned_models_are_scoped(app_configs, **kwargs):
    """Every model with a ``tenant`` foreign key (except the global tenancy tables) must use
    the fail-closed scoped manager as its default manager."""
    from .models import Membership, TenantScopedManager

    errors = []
    for model in apps.get_models():
        if model is Membership or model._meta.app_label in {"admin", "auth"} or model.__name__.startswith("Historical"):
            continue
        field_names = {f.name for f in model._meta.concrete_fields}
        if "tenant" in field_names and not isinstance(model._default_manager, TenantScopedManager):
            errors.append(
                checks.Error(f"{model.__name__} has a tenant key but no scoped default manager", id="mitrasehat.E001")
            )
    return errors


@checks.register(checks.Tags.database, deploy=True)
def database_role_cannot_bypass_rls(app_configs, databases=None, **kwargs):
    """``check --deploy --database default``: the app's database role cannot bypass row-level
    security (web and worker processes also refuse to start otherwise: gunicorn.conf.py,
    config/celery.py)."""
    from . import rls

    if not databases or "default" not in databases or not rls.enabled():
        return []
    return [checks.Error(problem, id="mitrasehat.E002") for problem in rls.role_problems()]
