"""Coordinator submits, manager returns with a note, coordinator resubmits, manager approves."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from organizations.tenancy import tenant_scope
from programs import services
from programs.models import ProgressUpdate
from tests.agreement_fixtures import PDF  # noqa: F401  (documents are not needed here)
from tests.personas import build_world

from .test_organization_journey import _sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    from partnerships import services as agreement_services
    from partnerships.documents import document_upload
    from partnerships.services import PartyData
    from tests.factories import OrganizationFactory

    world = build_world()
    today = datetime.date.today()
    with tenant_scope(world.tenant_a):
        puskesmas = OrganizationFactory(tenant=world.tenant_a, name="Puskesmas Ciruas", kind="puskesmas")
        agreement = agreement_services.agreement_create(
            tenant=world.tenant_a, actor=None, title="Skrining TBC oleh kader", partnership_type="provider_community",
            parties=[PartyData(organization=puskesmas, role="lead"), PartyData(organization=world.partner_a, role="implementer")],
            signed_on=today - datetime.timedelta(days=200), starts_on=today - datetime.timedelta(days=200), ends_on=today + datetime.timedelta(days=400),
        )  # fmt: skip
        agreement_services.agreement_propose(agreement=agreement, actor=None)
        document_upload(agreement=agreement, actor=None, kind="signed", title="PKS", name="pks.pdf", content=PDF)
        agreement_services.agreement_activate(agreement=agreement, actor=None)
        program = services.program_create(
            tenant=world.tenant_a, agreement=agreement, actor=None, implementers=[puskesmas, world.partner_a],
            name="Skrining TBC oleh kader di Ciruas", theme="tbc", status="active",
            starts_on=today - datetime.timedelta(days=120), ends_on=today + datetime.timedelta(days=240),
        )  # fmt: skip
        services.indicator_create(
            program=program,
            actor=None,
            code="TBK-01",
            name="Terduga TBC ditemukan kader",
            target=Decimal(400),
            unit="orang",
        )
    return world


def test_report_returned_fixed_and_approved(live_server, browser, seeded, shoot):
    base = live_server.url
    coordinator = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    manager = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    cpage, mpage = coordinator.new_page(), manager.new_page()

    _sign_in(cpage, base, "koordinator@serang.test")
    expect(cpage).to_have_url(re.compile(r"/t/serang/$"))  # the coordinator's home
    cpage.get_by_role("link", name="Laporan saya").first.click()
    expect(cpage).to_have_url(re.compile(r"/program/laporan-saya/$"))
    shoot_page(cpage, shoot, "20-laporan-saya-ponsel")
    cpage.locator("a[href*='/lapor/']").first.click()
    cpage.locator("input[name$='-value']").first.fill("37")
    cpage.locator("textarea[name$='-narrative']").first.fill("Kunjungan rumah di Desa Cigelam dan Kaserangan")
    shoot_page(cpage, shoot, "21-formulir-laporan-ponsel")
    cpage.locator("button[name=action][value=submit]").click()
    expect(cpage.locator(".alert-success")).to_be_visible()

    _sign_in(mpage, base, "manajer@serang.test")
    mpage.goto(f"{base}/t/serang/program/persetujuan/")
    row = mpage.locator(".ms-review-row").first
    row.locator("[data-review-return]").click()
    row.locator("textarea[name=note]").fill("Mohon lampirkan register kader bulan ini")
    row.locator("[data-review-return-send]").click()
    expect(mpage.locator(".ms-review-row").first).to_contain_text("Mohon lampirkan register kader")
    shoot_page(mpage, shoot, "22-antrean-persetujuan")

    cpage.goto(f"{base}/t/serang/program/laporan-saya/")
    cpage.locator("a[href*='/lapor/']").first.click()
    expect(cpage.locator("body")).to_contain_text("Mohon lampirkan register kader")
    cpage.locator("input[name$='-value']").first.fill("39")
    cpage.locator("button[name=action][value=submit]").click()
    expect(cpage.locator(".alert-success")).to_be_visible()

    mpage.goto(f"{base}/t/serang/program/persetujuan/")
    mpage.locator(".ms-review-row").first.locator("button[hx-post$='/approve/']").click()
    expect(mpage.locator(".ms-review-row").first).to_contain_text("Disetujui")
    with tenant_scope(seeded.tenant_a):
        update = ProgressUpdate.objects.select_related("indicator").get()
    assert (update.status, update.value, update.resubmitted) == ("approved", Decimal(39), True)
    program_id = update.indicator.program_id
    mpage.goto(f"{base}/t/serang/program/{program_id}/")
    shoot_page(mpage, shoot, "23-detail-program")


def shoot_page(page: Page, shoot, name: str) -> None:
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
