"""Bahasa Indonesia is the default; English is complete and chosen explicitly."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client


def _untranslated(po: Path) -> list[str]:
    """msgids with an empty msgstr (or fuzzy) in a .po file."""
    missing, msgid, fuzzy = [], None, False
    lines = po.read_text().splitlines()
    for index, line in enumerate(lines):
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid = line[6:].strip('"')
        elif line.startswith(("msgstr ", "msgstr[0] ")) and msgid:
            value = line.split(" ", 1)[1].strip('"')
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if (not value and not following.startswith('"')) or fuzzy:
                missing.append(msgid)
            msgid, fuzzy = None, False
    return missing


def test_indonesian_catalog_is_complete():
    assert _untranslated(Path(settings.BASE_DIR) / "locale/id/LC_MESSAGES/django.po") == []


@pytest.mark.django_db
def test_pages_are_indonesian_even_for_english_browsers(world):
    response = world.viewer.client.get(f"/t/{world.tenant_a.slug}/organisasi/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="id"' in response.content.decode()
    assert "Organisasi" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_changes_to_english(world):
    client = world.viewer.client
    response = client.post("/i18n/setlang/", {"language": "en", "next": f"/t/{world.tenant_a.slug}/"})
    assert response.status_code == 302
    page = client.get(f"/t/{world.tenant_a.slug}/organisasi/").content.decode()
    assert 'lang="en"' in page
    assert "Partner organizations" in page


@pytest.mark.django_db
def test_api_messages_follow_accept_language(world):
    url = f"/api/v1/t/{world.tenant_a.slug}/organizations/"
    english = world.manager.client.post(
        url,
        {"name": "Yayasan Peduli TBC Banten", "kind": "ngo"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["error"]["message"] == "An organization with this name already exists."
    default = Client()
    default.force_login(world.manager.user)
    indonesian = default.post(
        url, {"name": "Yayasan Peduli TBC Banten", "kind": "ngo"}, content_type="application/json"
    )
    assert indonesian.json()["error"]["message"] == "Organisasi dengan nama ini sudah ada."
