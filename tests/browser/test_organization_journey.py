"""A manager signs in, switches language, and creates an organization through the form."""

import re

import pytest
from playwright.sync_api import Page, expect

from organizations.models import Organization
from organizations.regions import regions_load
from organizations.tenancy import tenant_scope
from tests.personas import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    regions_load(provinces=["36"])
    return build_world()


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "rahasia-uji-123")
    page.locator("form button[type=submit]").first.click()


def _switch_language(page: Page, code: str) -> None:
    switcher = page.locator("[data-testid=language-switcher]")
    switcher.locator(".dropdown-toggle").click()
    switcher.locator(f"button[name=language][value={code}]").click()


def test_manager_creates_an_organization_in_the_browser(live_server, page: Page, seeded, shoot):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/akun/login/")
    shoot("01-masuk")
    _sign_in(page, base, "manajer@serang.test")
    expect(page).to_have_url(re.compile(r"/t/serang/$"))
    expect(page.get_by_role("link", name="Organisasi").first).to_be_visible()
    shoot("02-beranda-dinas")

    # Switch to English and back: the navigation follows.
    _switch_language(page, "en")
    expect(page.get_by_role("link", name="Organizations").first).to_be_visible()
    shoot("03-home-english")
    _switch_language(page, "id")
    expect(page.get_by_role("link", name="Organisasi").first).to_be_visible()

    page.goto(f"{base}/t/serang/organisasi/baru/")
    page.fill("input[name=name]", "Puskesmas Ciruas")
    page.select_option("select[name=kind]", "puskesmas")
    page.locator("[data-region-picker=region] input[data-region-input]").fill("ciru")
    page.locator("[data-region-option][data-code='36.04.09']").click()
    expect(page.locator("input[name=region]")).to_have_value("36.04.09")
    page.fill("textarea[name=address]", "Jl. Raya Ciruas No. 12")
    page.fill("input[name=contact-name]", "dr. Siti Rahmawati")
    page.fill("input[name=contact-phone]", "0812-8000-1201")
    shoot("04-formulir-organisasi")
    page.locator("form.ms-form button[type=submit]").first.click()

    expect(page.locator(".alert-success")).to_contain_text("Puskesmas Ciruas")
    expect(page.get_by_text("dr. Siti Rahmawati")).to_be_visible()
    shoot("05-detail-organisasi")
    with tenant_scope(seeded.tenant_a):
        organization = Organization.objects.get(name="Puskesmas Ciruas")
        assert organization.region.code == "36.04.09"

    # The list at phone width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/t/serang/organisasi/")
    expect(page.get_by_text("Puskesmas Ciruas")).to_be_visible()
    shoot("06-daftar-organisasi-ponsel")
