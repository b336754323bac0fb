"""A shared fund in real Chromium: the manager records a pledge and a receipt, a partner
coordinator (on a phone) requests money, the manager approves and the administrator pays —
two different people, as the two-person rule wants — and the statement adds up."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from organizations.tenancy import tenant_scope
from programs import fund_services
from tests.personas import build_world

from .test_organization_journey import _sign_in
from .test_reporting_journey import shoot_page

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    from partnerships import services as agreement_services
    from partnerships.documents import document_upload
    from partnerships.services import PartyData
    from programs import services
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
            parties=[PartyData(organization=puskesmas, role="lead"), PartyData(organization=company, role="funder"),
                     PartyData(organization=world.partner_a, role="implementer")],
            signed_on=today - datetime.timedelta(days=90), starts_on=today - datetime.timedelta(days=90),
            ends_on=today + datetime.timedelta(days=600),
        )  # fmt: skip
        agreement_services.agreement_propose(agreement=agreement, actor=None)
        document_upload(agreement=agreement, actor=None, kind="signed", title="PKS", name="pks.pdf", content=PDF)
        agreement_services.agreement_activate(agreement=agreement, actor=None)
        program = services.program_create(
            tenant=world.tenant_a, agreement=agreement, actor=None, implementers=[puskesmas, world.partner_a],
            name="Imunisasi Kejar Balita Kecamatan Anyar", theme="imunisasi", status="active",
            starts_on=today - datetime.timedelta(days=60), ends_on=today + datetime.timedelta(days=300),
        )  # fmt: skip
        fund_services.fund_create(
            tenant=world.tenant_a, agreement=agreement, actor=None, name="Dana Bersama Imunisasi Anyar",
            programs=[program],
        )  # fmt: skip
    return world


def _accept_confirmations(page: Page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def test_pledge_receipt_request_approve_pay(live_server, browser, seeded, shoot):
    base = live_server.url
    staff = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    phone = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    manager, coordinator = staff.new_page(), phone.new_page()
    _accept_confirmations(manager)
    _accept_confirmations(coordinator)

    # The manager finds the fund from the menu and records PT Krakatau's CSR pledge.
    _sign_in(manager, base, "manajer@serang.test")
    manager.goto(f"{base}/t/serang/")
    manager.locator(".ms-subnav").get_by_role("link", name="Dana").click()
    expect(manager).to_have_url(re.compile(r"/t/serang/dana/$"))
    manager.get_by_role("link", name="Dana Bersama Imunisasi Anyar").click()
    fund_url = manager.url
    manager.get_by_role("link", name="Catat komitmen").first.click()
    manager.select_option("select[name=organization]", label="PT Krakatau Sejahtera")
    manager.select_option("select[name=channel]", value="csr_tjsl")
    manager.fill("input[name=amount]", "Rp10.000.000")
    manager.fill("input[name=schedule-0-due_on]", (datetime.date.today() + datetime.timedelta(days=30)).isoformat())
    manager.fill("input[name=schedule-0-amount]", "10.000.000")
    shoot_page(manager, shoot, "30-komitmen-dana")
    manager.locator("form.ms-form button[type=submit]").last.click()
    expect(manager.locator(".alert-success")).to_be_visible()

    # A first transfer of Rp4.000.000 arrives.
    manager.locator("a[href*='/penerimaan/']").first.click()
    manager.fill("input[name=amount]", "4.000.000")
    manager.fill("input[name=reference]", "TRF/KS/2026/001")
    manager.locator("form.ms-form button[type=submit]").last.click()
    expect(manager.locator(".alert-success")).to_be_visible()

    # The coordinator requests Rp750.000 from a phone.
    _sign_in(coordinator, base, "koordinator@serang.test")
    coordinator.goto(fund_url)
    coordinator.locator("a[href$='/pencairan/baru/']").first.click()
    coordinator.select_option("select[name=program]", label="Imunisasi Kejar Balita Kecamatan Anyar")
    coordinator.fill("input[name=amount]", "750.000")
    coordinator.fill("textarea[name=purpose]", "Transport kader sweeping imunisasi di 12 desa")
    coordinator.fill("input[name=planned_on]", (datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    shoot_page(coordinator, shoot, "31-permintaan-pencairan-ponsel")
    coordinator.locator("form.ms-form button[type=submit]").last.click()
    expect(coordinator.locator(".alert-success")).to_be_visible()
    expect(coordinator.locator("main")).to_contain_text("Rp750.000")

    # The manager approves from the approval queue.
    manager.goto(f"{base}/t/serang/dana/persetujuan/")
    expect(manager.locator("main")).to_contain_text("Transport kader sweeping")
    shoot_page(manager, shoot, "32-antrean-pencairan")
    manager.locator("form[action$='/setujui/'] button[type=submit]").first.click()
    expect(manager.locator(".alert-success")).to_be_visible()

    # The administrator pays it with the SP2D reference.
    admin = staff.browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    _accept_confirmations(admin)
    _sign_in(admin, base, "admin@serang.test")
    admin.goto(f"{base}/t/serang/dana/persetujuan/")
    pay = admin.locator("form[action$='/bayar/']").first
    pay.locator("input[name=reference]").fill("SP2D/0612/2026")
    pay.locator("button[type=submit]").click()
    expect(admin.locator(".alert-success")).to_be_visible()

    # The statement: pledged 10 jt, received 4 jt, disbursed 750 rb, balance 3,25 jt.
    admin.goto(fund_url)
    main = admin.locator("main")
    for figure in ("Rp10.000.000", "Rp4.000.000", "Rp750.000", "Rp3.250.000"):
        expect(main).to_contain_text(figure)
    expect(main).to_contain_text("PT Krakatau Sejahtera")
    expect(admin.locator("#chart-contributors")).to_be_visible()
    admin.wait_for_timeout(300)  # let Chart.js finish drawing before the screenshot
    shoot_page(admin, shoot, "33-laporan-dana")
    admin.goto(fund_url + "buku-besar/")
    expect(admin.locator("main")).to_contain_text("SP2D/0612/2026")
    shoot_page(admin, shoot, "34-buku-besar")
