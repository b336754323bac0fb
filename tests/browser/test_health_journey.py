"""The health panel in real Chromium: a manager runs the review of a partnership from its
page, reads the band, the reasons and the dimensions, confirms it, and finds it in the overview."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from organizations.tenancy import tenant_scope
from tests.personas import build_world

from .test_organization_journey import _sign_in
from .test_reporting_journey import shoot_page

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    from partnerships import services as agreement_services
    from partnerships.documents import document_upload
    from partnerships.services import PartyData
    from programs import fund_services, services
    from tests.agreement_fixtures import PDF
    from tests.factories import OrganizationFactory

    world = build_world()
    today = datetime.date.today()
    with tenant_scope(world.tenant_a):
        puskesmas = OrganizationFactory(tenant=world.tenant_a, name="Puskesmas Anyar", kind="puskesmas")
        company = OrganizationFactory(
            tenant=world.tenant_a, name="PT Krakatau Sejahtera", kind="swasta", sector="private"
        )
        agreement = agreement_services.agreement_create(
            tenant=world.tenant_a, actor=None, title="Imunisasi Kejar Anak Balita di Kecamatan Anyar",
            partnership_type="public_private",
            parties=[PartyData(organization=puskesmas, role="lead"), PartyData(organization=company, role="funder")],
            signed_on=today - datetime.timedelta(days=300), starts_on=today - datetime.timedelta(days=300),
            ends_on=today + datetime.timedelta(days=45),
        )  # fmt: skip
        agreement_services.agreement_propose(agreement=agreement, actor=None)
        document_upload(agreement=agreement, actor=None, kind="signed", title="PKS", name="pks.pdf", content=PDF)
        agreement_services.agreement_activate(agreement=agreement, actor=None)
        program = services.program_create(
            tenant=world.tenant_a, agreement=agreement, actor=None, implementers=[puskesmas],
            name="Imunisasi Kejar Balita Kecamatan Anyar", theme="imunisasi", status="active",
            starts_on=today - datetime.timedelta(days=300), ends_on=today + datetime.timedelta(days=45),
        )  # fmt: skip
        services.indicator_create(
            program=program, actor=None, code="IMN-01", name="Balita dengan imunisasi kejar lengkap",
            target=Decimal(480), unit="anak", priority="high",
        )  # fmt: skip
        services.milestone_create(
            program=program, actor=None, title="Sweeping tahap I", due_on=today - datetime.timedelta(days=100)
        )
        fund = fund_services.fund_create(tenant=world.tenant_a, agreement=agreement, actor=None, name="Dana Anyar")
        pledge = fund_services.pledge_create(
            fund=fund, organization=company, actor=None, channel="csr_tjsl", amount=Decimal(150_000_000),
            installments=[(today - datetime.timedelta(days=120), Decimal(150_000_000))],
        )  # fmt: skip
        fund_services.receipt_record(pledge=pledge, actor=None, amount=Decimal(30_000_000))
    return world, agreement


def test_health_panel_run_read_confirm(live_server, browser, seeded, shoot):
    world, agreement = seeded
    base = live_server.url
    page = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, base, "manajer@serang.test")
    page.goto(f"{base}/t/serang/kemitraan/{agreement.pk}/#kesehatan")
    panel = page.locator("#pane-kesehatan")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Belum ditinjau")
    panel.get_by_role("button", name="Jalankan sekarang").click()
    expect(page).to_have_url(re.compile(r"#kesehatan$"))
    panel = page.locator("#pane-kesehatan")
    expect(panel.locator(".ms-band").first).to_be_visible()
    # The overdue CSR pledge is quoted with its real numbers.
    expect(panel).to_contain_text("PT Krakatau Sejahtera")
    expect(panel).to_contain_text("Rp150.000.000")
    expect(panel.locator(".ms-dimensions li")).to_have_count(7)
    shoot_page(page, shoot, "40-panel-kesehatan")

    panel.get_by_role("link", name="Tinjauan lengkap").click()
    page.fill("textarea[name=note]", "Dibahas pada rapat koordinasi; PT Krakatau menjanjikan sisa dana bulan depan.")
    page.locator("#konfirmasi button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    shoot_page(page, shoot, "41-tinjauan-lengkap")

    page.goto(f"{base}/t/serang/tinjauan/")
    expect(page.locator("main")).to_contain_text("Imunisasi Kejar Anak Balita")
    shoot_page(page, shoot, "42-ikhtisar-kesehatan")
