"""Agreements for tests, built through the services (so every rule is exercised).
The fixtures are registered for the whole suite in tests/conftest.py."""

import datetime

import pytest

from organizations.tenancy import tenant_scope
from partnerships import services
from partnerships.documents import document_upload
from partnerships.models import Agreement
from partnerships.services import PartyData
from tests.factories import OrganizationFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def orgs(world):
    """Partner organizations of tenant A, one of each side a partnership type needs."""
    tenant = world.tenant_a
    return {
        "rsud": OrganizationFactory(
            tenant=tenant, name="RSUD dr. Dradjat Prawiranegara", kind="rumah_sakit", sector="public"
        ),
        "puskesmas": OrganizationFactory(tenant=tenant, name="Puskesmas Ciruas", kind="puskesmas", sector="public"),
        "company": OrganizationFactory(tenant=tenant, name="PT Krakatau Sejahtera", kind="swasta", sector="private"),
        "kader": OrganizationFactory(tenant=tenant, name="Kader Posyandu Ciruas", kind="komunitas", sector="community"),
        "patients": OrganizationFactory(
            tenant=tenant, name="Kelompok Pasien Diabetes", kind="kelompok_pasien", sector="community"
        ),
        "ngo": world.partner_a,  # the coordinator's organization (Yayasan Peduli TBC Banten, an NGO)
    }


@pytest.fixture
def make_agreement(world, orgs):
    """``make_agreement(status="active", parties=("rsud", "puskesmas"), type=...)``."""

    def make(
        status: str = "draft", parties=("rsud", "puskesmas"), partnership_type: str = "provider_provider", **fields
    ) -> Agreement:
        actor = world.manager.user
        with tenant_scope(world.tenant_a):
            agreement = services.agreement_create(
                tenant=world.tenant_a,
                actor=actor,
                parties=[
                    PartyData(organization=orgs[p], role="lead" if i == 0 else "implementer")
                    for i, p in enumerate(parties)
                ],
                title=fields.pop("title", "Rujukan berjenjang"),
                partnership_type=partnership_type,
                signed_on=fields.pop("signed_on", datetime.date(2026, 1, 5)),
                starts_on=fields.pop("starts_on", datetime.date(2026, 1, 1)),
                ends_on=fields.pop("ends_on", datetime.date(2026, 12, 31)),
                **fields,
            )
            if status == "draft":
                return agreement
            services.agreement_propose(agreement=agreement, actor=actor)
            if status == "proposed":
                return _fresh(agreement)
            document_upload(agreement=agreement, actor=actor, kind="signed", title="PKS", name="pks.pdf", content=PDF)
            services.agreement_activate(agreement=agreement, actor=actor, today=TODAY)
            if status == "active":
                return _fresh(agreement)
            if status == "suspended":
                services.agreement_suspend(agreement=agreement, actor=actor, reason="Audit")
            elif status == "terminated":
                services.agreement_terminate(agreement=agreement, actor=actor, reason="Mitra mundur")
            elif status == "expired":
                services.agreement_expire(agreement=agreement)
            return _fresh(agreement)

    return make


def _fresh(agreement: Agreement) -> Agreement:
    return Agreement.objects.get(pk=agreement.pk)
