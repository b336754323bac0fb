"""Each role's main journey in real Chromium, screenshots under tests/screenshots/roles/:
the administrator tunes review weights and sees the members; the manager starts the day on the
dashboard, downloads the partnership report and exports a list; the coordinator, on a phone,
finds the report due and answers the partner survey; the viewer reads without being offered
anything to change."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from organizations.tenancy import tenant_scope
from tests.personas import build_world

from .conftest import SCREENSHOTS
from .test_organization_journey import _sign_in

pytestmark = pytest.mark.browser
ROLES = SCREENSHOTS / "roles"


def _shot(page: Page, name: str) -> None:
    ROLES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ROLES / f"{name}.png"), full_page=True)


@pytest.fixture
def seeded(transactional_db):
    from organizations.models import Contact
    from partnerships import services as agreement_services
    from partnerships.documents import document_upload
    from partnerships.services import PartyData
    from programs import fund_services, services
    from reporting import services as review_services
    from reporting import surveys
    from tests.agreement_fixtures import PDF
    from tests.factories import OrganizationFactory

    world = build_world()
    today = datetime.date.today()
    with tenant_scope(world.tenant_a):
        puskesmas = OrganizationFactory(tenant=world.tenant_a, name="Puskesmas Ciruas", kind="puskesmas")
        agreement = agreement_services.agreement_create(
            tenant=world.tenant_a, actor=None, title="Skrining TBC oleh Kader di Kecamatan Ciruas",
            partnership_type="provider_community",
            parties=[PartyData(organization=puskesmas, role="lead"), PartyData(organization=world.partner_a, role="implementer")],
            signed_on=today - datetime.timedelta(days=200), starts_on=today - datetime.timedelta(days=200),
            ends_on=today + datetime.timedelta(days=60),
        )  # fmt: skip
        agreement_services.agreement_propose(agreement=agreement, actor=None)
        document_upload(agreement=agreement, actor=None, kind="signed", title="PKS", name="pks.pdf", content=PDF)
        agreement_services.agreement_activate(agreement=agreement, actor=None)
        program = services.program_create(
            tenant=world.tenant_a, agreement=agreement, actor=None, implementers=[puskesmas, world.partner_a],
            name="Skrining TBC oleh kader di Ciruas", theme="tbc", status="active",
            starts_on=today - datetime.timedelta(days=150), ends_on=today + datetime.timedelta(days=200),
        )  # fmt: skip
        services.indicator_create(program=program, actor=None, code="TBK-01", name="Terduga TBC ditemukan kader",
                                  target=Decimal(400), unit="orang")  # fmt: skip
        fund = fund_services.fund_create(tenant=world.tenant_a, agreement=agreement, actor=None, name="Dana TBC Ciruas")
        pledge = fund_services.pledge_create(
            fund=fund, organization=puskesmas, actor=None, channel="blud", amount=Decimal(12_000_000),
            installments=[(today - datetime.timedelta(days=30), Decimal(12_000_000))],
        )  # fmt: skip
        fund_services.receipt_record(pledge=pledge, actor=None, amount=Decimal(5_000_000))
        for organization in (puskesmas, world.partner_a):
            Contact.objects.create(tenant=world.tenant_a, organization=organization, name="Narahubung",
                                   email=f"n{organization.pk}@mitra.test", is_focal_point=True)  # fmt: skip
        surveys.round_open(agreement=agreement, actor=None, days=14)
        review_services.reviews_compute(tenant=world.tenant_a, today=today, notify=False)
    return world, agreement


def test_manager_starts_the_day_on_the_dashboard(live_server, browser, seeded):
    _world, agreement = seeded
    page = browser.new_context(
        locale="id-ID", viewport={"width": 1280, "height": 900}, accept_downloads=True
    ).new_page()
    _sign_in(page, live_server.url, "manajer@serang.test")
    page.goto(f"{live_server.url}/t/serang/")
    main = page.locator("main")
    expect(main).to_contain_text("Perlu perhatian")
    expect(main).to_contain_text("Puskesmas Ciruas")  # the overdue BLUD instalment
    expect(main).to_contain_text("Rp5.000.000")
    page.wait_for_timeout(300)
    _shot(page, "manager-1-dasbor")
    page.goto(f"{live_server.url}/t/serang/kemitraan/{agreement.pk}/")
    page.get_by_role("button", name="Laporan").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Laporan kemitraan (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"{live_server.url}/t/serang/kemitraan/")
    page.get_by_role("button", name="Ekspor").click()
    with page.expect_download() as export:
        page.get_by_role("link", name="XLSX").click()
    assert export.value.suggested_filename.startswith("kemitraan-")
    _shot(page, "manager-2-daftar-kemitraan")


def test_coordinator_on_a_phone_reports_and_answers_the_survey(live_server, browser, seeded):
    page = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}).new_page()
    _sign_in(page, live_server.url, "koordinator@serang.test")
    page.goto(f"{live_server.url}/t/serang/")
    main = page.locator("main")
    expect(main).to_contain_text("Skrining TBC oleh kader di Ciruas")
    expect(main).to_contain_text("Survei yang menunggu jawaban Anda")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "coordinator-1-beranda-ponsel")
    page.get_by_role("link", name="Isi survei").first.click()
    for item in range(1, 14):
        page.locator(f"label[for=q{item}-4]").click()
    _shot(page, "coordinator-2-survei-ponsel")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_admin_tunes_the_review_weights(live_server, browser, seeded):
    page = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, live_server.url, "admin@serang.test")
    page.goto(f"{live_server.url}/t/serang/tinjauan/bobot/")
    page.fill("input[name=D1]", "30")
    page.get_by_role("button", name="Simpan bobot").click()
    expect(page.locator(".alert-success")).to_be_visible()
    _shot(page, "admin-1-tinjauan")
    page.goto(f"{live_server.url}/t/serang/anggota/")
    expect(page.locator("main")).to_contain_text("pemantau@serang.test")
    _shot(page, "admin-2-anggota")


def test_viewer_reads_without_being_offered_changes(live_server, browser, seeded):
    _world, agreement = seeded
    page = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, live_server.url, "pemantau@serang.test")
    page.goto(f"{live_server.url}/t/serang/tinjauan/")
    expect(page.locator("main")).to_contain_text("Skrining TBC oleh Kader")
    expect(page.get_by_role("button", name="Jalankan sekarang")).to_have_count(0)
    _shot(page, "viewer-1-tinjauan")
    page.goto(f"{live_server.url}/t/serang/dana/")
    expect(page.get_by_role("link", name="Dana baru")).to_have_count(0)
    page.get_by_role("link", name="Dana TBC Ciruas").click()
    expect(page.locator("main")).to_contain_text("Rp12.000.000")
    expect(page.get_by_role("link", name="Catat penerimaan")).to_have_count(0)
    _shot(page, "viewer-2-dana")
