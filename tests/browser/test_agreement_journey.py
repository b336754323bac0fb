"""A manager creates an agreement with its parties, uploads the signed PKS and activates it."""

import re

import pytest
from playwright.sync_api import Page, expect

from organizations.regions import regions_load
from organizations.tenancy import tenant_scope
from partnerships.models import Agreement
from tests.factories import OrganizationFactory
from tests.personas import build_world

from .test_organization_journey import _sign_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def seeded(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    regions_load(provinces=["36"])
    world = build_world()
    OrganizationFactory(
        tenant=world.tenant_a, name="RSUD dr. Dradjat Prawiranegara", kind="rumah_sakit", sector="public"
    )
    OrganizationFactory(tenant=world.tenant_a, name="Puskesmas Ciruas", kind="puskesmas", sector="public")
    return world


def test_manager_runs_an_agreement_from_draft_to_active(live_server, page: Page, seeded, shoot):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, base, "manajer@serang.test")
    expect(page).to_have_url(re.compile(r"/t/serang/$"))

    page.get_by_role("link", name="Kemitraan").first.click()
    expect(page).to_have_url(re.compile(r"/t/serang/kemitraan/$"))
    page.goto(f"{base}/t/serang/kemitraan/baru/")
    page.fill("input[name=number]", "445/PKS/017/Dinkes/2026")
    page.fill("input[name=title]", "Rujukan berjenjang RSUD–Puskesmas Ciruas")
    page.select_option("select[name=partnership_type]", "provider_provider")
    page.fill("input[name=signed_on]", "2026-01-05")
    page.fill("input[name=starts_on]", "2026-01-10")
    page.fill("input[name=ends_on]", "2099-12-31")
    page.locator("[data-region-picker=regions] input[data-region-input]").fill("ciru")
    page.locator("[data-region-option][data-code='36.04.09']").click()
    expect(page.locator("input[name=regions]")).to_have_value("36.04.09")

    page.select_option("select[name=parties-0-organization]", label="RSUD dr. Dradjat Prawiranegara")
    page.select_option("select[name=parties-0-role]", "lead")
    page.fill("input[name=parties-0-signatory_name]", "dr. Bambang Hermawan, Sp.PD")
    page.select_option("select[name=parties-1-organization]", label="Puskesmas Ciruas")
    page.select_option("select[name=parties-1-role]", "implementer")
    # Add a third row with the button, then remove it again.
    page.locator("[data-formset-add=parties]").click()
    expect(page.locator("select[name=parties-2-organization]")).to_be_visible()
    page.locator("[data-party-row]").nth(2).locator("[data-party-remove]").click()
    expect(page.locator("select[name=parties-2-organization]")).to_be_hidden()
    shoot("10-formulir-perjanjian")
    page.locator("form.ms-form button[type=submit]").first.click()

    expect(page.locator(".alert-success")).to_be_visible()
    with tenant_scope(seeded.tenant_a):
        agreement = Agreement.objects.get(number="445/PKS/017/Dinkes/2026")
        assert agreement.parties.count() == 2
    detail = f"{base}/t/serang/kemitraan/{agreement.pk}/"

    page.goto(detail + "#dokumen")
    upload = page.locator("form[action*='/dokumen/#']")
    upload.locator("select[name=kind]").select_option("signed")
    upload.locator("input[name=title]").fill("PKS bertanda tangan")
    upload.locator("input[name=file]").set_input_files(
        {"name": "pks-rujukan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    upload.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    for action in ("propose", "activate"):
        page.goto(detail)
        page.locator(f"a[href$='/langkah/{action}/']").first.click()
        shoot(f"11-langkah-{action}")
        page.locator("main form button[type=submit]").last.click()
        expect(page.locator(".alert-success")).to_be_visible()

    with tenant_scope(seeded.tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).status == "active"
    expect(page.locator("body")).to_contain_text("Aktif")
    shoot("12-perjanjian-aktif")
    page.goto(detail + "#linimasa")
    shoot("13-linimasa")
