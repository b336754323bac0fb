"""Uploaded documents: type checked by content (not by name), size-limited, stored under the
tenant with a random name, and streamed only by a view that checks access."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from organizations.errors import ApplicationError
from organizations.models import User

from . import errors
from .models import Agreement, AgreementEvent, Document

# detected type → (content type, allowed file extensions)
ALLOWED_TYPES = {
    "pdf": ("application/pdf", {".pdf"}),
    "png": ("image/png", {".png"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
}


def detect_type(content: bytes) -> str | None:
    """The file's real type from its first bytes (and, for Office files, the ZIP's contents)."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(*, name: str, content: bytes) -> tuple[str, str]:
    """Refuse empty, oversized and disallowed files (judged by content, and the name's
    extension must agree); returns (content type, a random storage name). Used for every upload."""
    if not content:
        raise ApplicationError(errors.FILE_EMPTY, code="file_empty")
    if len(content) > settings.DOCUMENT_MAX_BYTES:
        raise ApplicationError(
            errors.FILE_TOO_LARGE % {"size": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}, code="file_too_large"
        )
    detected = detect_type(content)
    if detected is None or _extension(name) not in ALLOWED_TYPES[detected][1]:
        raise ApplicationError(errors.FILE_TYPE_NOT_ALLOWED, code="file_type")
    return ALLOWED_TYPES[detected][0], f"{secrets.token_hex(16)}{_extension(name)}"


def store_upload(instance, content: bytes) -> None:
    """Write ``content`` under ``instance.storage_name`` and save the row; a failed save removes
    the file again (no orphan files). Used by every upload (documents, evidence)."""
    instance.file.save(instance.storage_name, ContentFile(content), save=False)
    try:
        instance.save()
    except Exception:
        instance.file.delete(save=False)
        raise


def document_upload(
    *, agreement: Agreement, actor: User | None, kind: str, title: str, name: str, content: bytes
) -> Document:
    content_type, storage_name = check_upload(name=name, content=content)
    document = Document(
        tenant_id=agreement.tenant_id,
        agreement=agreement,
        kind=kind,
        title=title.strip() or name,
        storage_name=storage_name,
        original_name=name[:255],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    with transaction.atomic():
        store_upload(document, content)
        AgreementEvent.objects.create(
            tenant_id=agreement.tenant_id,
            agreement=agreement,
            action=AgreementEvent.Action.DOCUMENT_ADDED,
            actor=actor,
            reason=f"{document.get_kind_display()}: {document.title}",
        )
    return document


def document_delete(*, document: Document, actor: User | None) -> None:
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: document.file.delete(save=False))


def attachment_response(*, content: bytes, filename: str, content_type: str):
    """Bytes built for one person (a report, an export) as an attachment that is not cached."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def private_file_response(*, file, filename: str, content_type: str):
    """Stream a stored upload as an attachment that browsers must not sniff or cache. Callers
    check access first; uploads are never on a public path."""
    from django.http import FileResponse

    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
