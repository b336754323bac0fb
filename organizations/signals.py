"""Dropping cached memberships (organizations.middleware.membership_for) when what they carry
changes: the membership itself (role, organization, removal), its tenant (settings, slug) or
its organization. Every such change goes through ``save()`` / ``delete()`` in the services."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from . import soft_cache
from .auth import forget_tokens
from .middleware import membership_cache_key
from .models import ApiToken, Membership, Organization, Tenant, User


@receiver([post_save, post_delete], sender=Membership)
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    slug = Tenant.objects.filter(pk=instance.tenant_id).values_list("slug", flat=True).first()
    if slug:
        soft_cache.forget([membership_cache_key(instance.user_id, slug)])


@receiver(pre_save, sender=Tenant)
def tenant_slug_before(sender, instance: Tenant, **kwargs) -> None:
    instance._slug_before = (
        Tenant.objects.filter(pk=instance.pk).values_list("slug", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Tenant)
def tenant_changed(sender, instance: Tenant, **kwargs) -> None:
    slugs = {instance.slug, getattr(instance, "_slug_before", None)} - {None}
    users = Membership.objects.filter(tenant=instance).values_list("user_id", flat=True)
    soft_cache.forget([membership_cache_key(user_id, slug) for user_id in users for slug in slugs])


@receiver(post_save, sender=Organization)
def organization_changed(sender, instance: Organization, **kwargs) -> None:
    rows = Membership.objects.filter(organization_id=instance.pk).values_list("user_id", "tenant__slug")
    soft_cache.forget([membership_cache_key(user_id, slug) for user_id, slug in rows])


@receiver([post_save, post_delete], sender=ApiToken)
def token_changed(sender, instance: ApiToken, **kwargs) -> None:
    forget_tokens([instance.token_key])


@receiver(post_save, sender=User)
def user_changed(sender, instance: User, **kwargs) -> None:
    """A cached token carries its user: deactivation (or any change) applies at once."""
    forget_tokens(ApiToken.objects.filter(user=instance).values_list("token_key", flat=True))
