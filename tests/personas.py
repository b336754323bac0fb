"""Named people for tests: an admin, a manager, a coordinator and a viewer of tenant A, and
an outsider who administers tenant B."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from organizations.models import Membership, Organization, Role, Tenant, User

from .factories import MembershipFactory, OrganizationFactory, TenantFactory, UserFactory


@dataclass
class Persona:
    user: User
    membership: Membership
    client: Client

    @property
    def tenant(self) -> Tenant:
        return self.membership.tenant


@dataclass
class World:
    tenant_a: Tenant
    tenant_b: Tenant
    partner_a: Organization  # the coordinator's organization
    partner_b: Organization
    admin: Persona
    manager: Persona
    coordinator: Persona
    viewer: Persona
    outsider: Persona  # admin of tenant B

    def persona(self, role: str) -> Persona:
        return getattr(self, role)


def _persona(tenant: Tenant, role: str, email: str, organization: Organization | None = None) -> Persona:
    user = UserFactory(email=email)
    membership = MembershipFactory(user=user, tenant=tenant, role=role, organization=organization)
    client = Client()
    client.force_login(user)
    return Persona(user=user, membership=membership, client=client)


def build_world() -> World:
    tenant_a = TenantFactory(name="Dinas Kesehatan Kabupaten Serang", slug="serang")
    tenant_b = TenantFactory(name="Dinas Kesehatan Kabupaten Lebak", slug="lebak")
    partner_a = OrganizationFactory(tenant=tenant_a, name="Yayasan Peduli TBC Banten", kind="ngo", sector="community")
    partner_b = OrganizationFactory(tenant=tenant_b, name="Puskesmas Rangkasbitung")
    return World(
        tenant_a=tenant_a,
        tenant_b=tenant_b,
        partner_a=partner_a,
        partner_b=partner_b,
        admin=_persona(tenant_a, Role.ADMIN, "admin@serang.test"),
        manager=_persona(tenant_a, Role.MANAGER, "manajer@serang.test"),
        coordinator=_persona(tenant_a, Role.COORDINATOR, "koordinator@serang.test", partner_a),
        viewer=_persona(tenant_a, Role.VIEWER, "pemantau@serang.test"),
        outsider=_persona(tenant_b, Role.ADMIN, "admin@lebak.test"),
    )
