"""factory_boy factories: only required fields; tenant-owned rows are created inside their tenant's scope."""

from __future__ import annotations

import factory

from organizations.models import Contact, Membership, Organization, Region, Role, Tenant, User
from organizations.regions import search_name
from organizations.tenancy import tenant_scope


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Dinas Kesehatan Kabupaten Uji {n}")
    slug = factory.Sequence(lambda n: f"uji-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.id")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TenantOwnedFactory(factory.django.DjangoModelFactory):
    """Creates the row inside its tenant's scope (the scoped manager refuses otherwise)."""

    class Meta:
        abstract = True

    tenant = factory.SubFactory(TenantFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with tenant_scope(kwargs["tenant"]):
            return super()._create(model_class, *args, **kwargs)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "36.04"
    name = "Kabupaten Serang"
    level = 2
    kind = "kabupaten"
    path = "Kabupaten Serang, Banten"
    search_name = factory.LazyAttribute(lambda o: search_name(o.name))


class OrganizationFactory(TenantOwnedFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Puskesmas Uji {n}")
    kind = Organization.Kind.PUSKESMAS
    sector = Organization.Sector.PUBLIC


class ContactFactory(TenantOwnedFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory, tenant=factory.SelfAttribute("..tenant"))
    name = factory.Faker("name", locale="id_ID")
    phone = "0812-0000-0000"


class MembershipFactory(TenantOwnedFactory):
    """A membership is global to the ORM but written inside its tenant (row-level security)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


def refresh(obj):
    """Read a tenant row again in its own tenant's scope, as the app would (the database shows
    no tenant's rows outside a scope): ``refresh(job)`` instead of ``job.refresh_from_db()``."""
    tenant_id = getattr(obj, "tenant_id", None)  # tenants and users are global
    if tenant_id is None:
        obj.refresh_from_db()
        return obj
    with tenant_scope(tenant_id):
        obj.refresh_from_db()
    return obj
