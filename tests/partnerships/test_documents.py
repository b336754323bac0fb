"""Documents: type checked by content, size-limited, stored under the tenant, downloaded only
by members allowed to see the agreement."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from organizations.tenancy import tenant_scope
from partnerships.documents import detect_type
from partnerships.models import Document
from tests.agreement_fixtures import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def _docs_url(world, agreement, suffix=""):
    return f"/api/v1/t/{world.tenant_a.slug}/agreements/{agreement.pk}/documents/{suffix}"


def test_types_are_detected_by_content():
    assert detect_type(PDF) == "pdf"
    assert detect_type(PNG) == "png"
    assert detect_type(b"\xff\xd8\xff\xe0" + b"\x00" * 8) == "jpeg"
    assert detect_type(_office("docx")) == "docx"
    assert detect_type(_office("xlsx")) == "xlsx"
    assert detect_type(b"MZ\x90\x00 a windows program") is None
    assert detect_type(b"<html><script>alert(1)</script>") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("pks.pdf", PDF, True),
        ("foto.png", PNG, True),
        ("notulen.docx", _office("docx"), True),
        ("anggaran.xlsx", _office("xlsx"), True),
        ("pks.pdf", b"<html>not a pdf</html>", False),  # the name lies
        ("program.exe", b"MZ\x90\x00", False),
        ("pks.docx", PDF, False),  # a PDF pretending to be a DOCX
        ("kosong.pdf", b"", False),
    ],
)
def test_upload_accepts_only_allowed_types(world, make_agreement, name, content, accepted):
    agreement = make_agreement("draft")
    response = world.manager.client.post(
        _docs_url(world, agreement), {"kind": "evidence", "file": SimpleUploadedFile(name, content)}
    )
    assert (response.status_code == 201) is accepted, response.content
    with tenant_scope(world.tenant_a):
        assert Document.objects.filter(agreement=agreement).exists() is accepted


@pytest.mark.django_db
@override_settings(DOCUMENT_MAX_BYTES=1024)
def test_files_over_the_size_limit_are_refused(world, make_agreement):
    agreement = make_agreement("draft")
    big = PDF + b"0" * 2048
    response = world.manager.client.post(
        _docs_url(world, agreement), {"kind": "evidence", "file": SimpleUploadedFile("besar.pdf", big)}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "file_too_large"


@pytest.mark.django_db
def test_stored_under_the_tenant_with_a_random_name_and_downloaded_intact(world, make_agreement, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    agreement = make_agreement("draft")
    response = world.manager.client.post(
        _docs_url(world, agreement),
        {"kind": "signed", "title": "PKS", "file": SimpleUploadedFile("../../etc/passwd.pdf", PDF)},
    )
    assert response.status_code == 201
    with tenant_scope(world.tenant_a):
        document = Document.objects.get()
    assert document.file.name.startswith(f"tenants/{world.tenant_a.pk}/agreements/{agreement.pk}/")
    assert "passwd" not in document.file.name
    download = world.viewer.client.get(_docs_url(world, agreement, f"{document.pk}/download/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    page_download = world.viewer.client.get(
        f"/t/{world.tenant_a.slug}/kemitraan/{agreement.pk}/dokumen/{document.pk}/unduh/"
    )
    assert page_download.status_code == 200
    assert page_download["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_outsiders_cannot_download(world, make_agreement):
    agreement = make_agreement("active")  # parties: RSUD and puskesmas — not the coordinator's NGO
    with tenant_scope(world.tenant_a):
        document = Document.objects.get(agreement=agreement)
    for client in (world.coordinator.client, world.outsider.client):
        assert client.get(_docs_url(world, agreement, f"{document.pk}/download/")).status_code == 404
        assert (
            client.get(f"/t/{world.tenant_a.slug}/kemitraan/{agreement.pk}/dokumen/{document.pk}/unduh/").status_code
            == 404
        )
    # B's admin using B's own slug with A's ids.
    url = f"/api/v1/t/{world.tenant_b.slug}/agreements/{agreement.pk}/documents/{document.pk}/download/"
    assert world.outsider.client.get(url).status_code == 404


@pytest.mark.django_db
def test_coordinator_of_a_party_uploads_evidence_but_not_the_signed_agreement(world, make_agreement):
    agreement = make_agreement("active", parties=("puskesmas", "ngo"), partnership_type="provider_community")
    client = world.coordinator.client
    ok = client.post(_docs_url(world, agreement), {"kind": "evidence", "file": SimpleUploadedFile("foto.png", PNG)})
    assert ok.status_code == 201
    refused = client.post(_docs_url(world, agreement), {"kind": "signed", "file": SimpleUploadedFile("pks.pdf", PDF)})
    assert refused.status_code == 403
    assert client.delete(_docs_url(world, agreement, f"{ok.json()['id']}/")).status_code == 403


@pytest.mark.django_db
def test_viewers_cannot_upload(world, make_agreement):
    agreement = make_agreement("draft")
    response = world.viewer.client.post(
        _docs_url(world, agreement), {"kind": "evidence", "file": SimpleUploadedFile("foto.png", PNG)}
    )
    assert response.status_code == 403
