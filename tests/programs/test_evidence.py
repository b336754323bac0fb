"""Evidence (bukti dukung) on progress updates: checked by content, seen only by those who may."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.tenancy import tenant_scope
from programs import services
from programs.models import Evidence
from tests.agreement_fixtures import PDF


@pytest.fixture(autouse=True)
def _today(monkeypatch, settings, tmp_path):
    import programs.services as s

    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(s.timezone, "localdate", lambda: datetime.date(2026, 6, 5))


@pytest.mark.django_db
def test_coordinator_attaches_evidence_in_the_report_form(world, pw):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
    url = f"/t/{world.tenant_a.slug}/program/{pw.program.pk}/lapor/{may.pk}/"
    data = {
        "organization": world.partner_a.pk,
        "action": "draft",
        f"i{pw.cases.pk}-value": "12",
        f"i{pw.cases.pk}-evidence": SimpleUploadedFile("register-kader.pdf", PDF),
    }
    assert world.coordinator.client.post(url, data).status_code == 302
    with tenant_scope(world.tenant_a):
        evidence = Evidence.objects.select_related("update").get()
    assert evidence.update.value == Decimal(12)
    assert evidence.file.name.startswith(f"tenants/{world.tenant_a.pk}/programs/{pw.program.pk}/")
    download = world.manager.client.get(f"/t/{world.tenant_a.slug}/program/{pw.program.pk}/bukti/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


@pytest.mark.django_db
def test_a_disguised_file_is_refused_and_nothing_is_saved(world, pw):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
    url = f"/t/{world.tenant_a.slug}/program/{pw.program.pk}/lapor/{may.pk}/"
    data = {
        "organization": world.partner_a.pk,
        "action": "submit",
        f"i{pw.cases.pk}-value": "12",
        f"i{pw.cases.pk}-evidence": SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not an image"),
    }
    assert world.coordinator.client.post(url, data).status_code == 400
    with tenant_scope(world.tenant_a):
        assert not Evidence.objects.exists()
        assert not pw.cases.updates.exists()


@pytest.mark.django_db
def test_api_evidence_upload_and_visibility(world, pw, orgs):
    with tenant_scope(world.tenant_a):
        other = services.progress_update_save(
            indicator=pw.cases,
            period=pw.period(pw.cases, 2026, 5),
            organization=orgs["puskesmas"],
            actor=None,
            value=Decimal(3),
        )
        own = services.progress_update_save(
            indicator=pw.cases,
            period=pw.period(pw.cases, 2026, 5),
            organization=world.partner_a,
            actor=None,
            value=Decimal(3),
        )
    base = f"/api/v1/t/{world.tenant_a.slug}/progress-updates/"
    ok = world.coordinator.client.post(f"{base}{own.pk}/evidence/", {"file": SimpleUploadedFile("foto.pdf", PDF)})
    assert ok.status_code == 201
    assert (
        world.coordinator.client.post(
            f"{base}{other.pk}/evidence/", {"file": SimpleUploadedFile("foto.pdf", PDF)}
        ).status_code
        == 404
    )
    staff_upload = world.manager.client.post(f"{base}{other.pk}/evidence/", {"file": SimpleUploadedFile("x.pdf", PDF)})
    assert staff_upload.status_code == 201
    evidence_id = staff_upload.json()["id"]
    # The coordinator cannot download another organization's evidence.
    url = f"/t/{world.tenant_a.slug}/program/{pw.program.pk}/bukti/{evidence_id}/"
    assert world.coordinator.client.get(url).status_code == 404
    assert world.viewer.client.get(url).status_code == 200
    assert [e["original_name"] for e in world.coordinator.client.get(f"{base}{own.pk}/").json()["evidence"]] == [
        "foto.pdf"
    ]


@pytest.mark.django_db
def test_milestone_evidence_is_attached_by_staff_only(world, pw):
    with tenant_scope(world.tenant_a):
        milestone = services.milestone_create(
            program=pw.program, actor=None, title="Pelatihan 40 kader", due_on=datetime.date(2026, 5, 1)
        )
    url = f"/t/{world.tenant_a.slug}/program/{pw.program.pk}/tonggak/{milestone.pk}/bukti/"
    assert world.coordinator.client.post(url, {"file": SimpleUploadedFile("daftar-hadir.pdf", PDF)}).status_code == 403
    assert world.manager.client.post(url, {"file": SimpleUploadedFile("daftar-hadir.pdf", PDF)}).status_code == 302
    with tenant_scope(world.tenant_a):
        assert Evidence.objects.get().milestone == milestone
    page = world.viewer.client.get(f"/t/{world.tenant_a.slug}/program/{pw.program.pk}/")
    assert "daftar-hadir.pdf" in page.content.decode()
