"""Importing organizations from CSV/XLSX: per-row errors, nothing saved before confirmation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from openpyxl import Workbook, load_workbook

from organizations.models import Contact, ImportJob, Organization
from organizations.outbox import outbox_sweep
from organizations.tenancy import tenant_scope
from tests.broker import broker_unreachable
from tests.factories import RegionFactory, refresh

HEADER = "nama,jenis,sektor,kode_wilayah,alamat,telepon,email,situs_web,narahubung_nama,narahubung_jabatan,narahubung_telepon,narahubung_email"


def _csv(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("mitra.csv", ("\n".join([HEADER, *rows]) + "\n").encode(), content_type="text/csv")


def _url(world, suffix=""):
    return f"/t/{world.tenant_a.slug}/organisasi/impor/{suffix}"


def _org_names(world):
    with tenant_scope(world.tenant_a):
        return set(Organization.objects.values_list("name", flat=True))


@pytest.mark.django_db
def test_rows_are_checked_and_nothing_is_saved_before_confirmation(world):
    RegionFactory()
    upload = _csv(
        "Puskesmas Ciruas,puskesmas,,36.04,Jl. Raya Ciruas,0254-1,pkm@example.id,,dr. Siti,Kepala,0812-1,siti@example.id",
        ",ngo,,,,,,,,,,",
        "Klinik Bengkel,bengkel,,99.99,,abc,bukan-email,,,,,",
        "Yayasan Peduli TBC Banten,ngo,,,,,,,,,,",
        "Puskesmas Ciruas,puskesmas,,,,,,,,,,",
    )
    response = world.manager.client.post(_url(world), {"file": upload})
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.VALIDATED
    errors = {row["row"]: row["errors"] for row in job.rows}
    assert errors[2] == {}
    assert set(errors[3]) == {"nama"}
    assert set(errors[4]) == {"jenis", "kode_wilayah", "telepon", "email"}
    assert set(errors[5]) == {"nama"}  # already exists in the tenant
    assert set(errors[6]) == {"nama"}  # twice in the file
    assert _org_names(world) == {"Yayasan Peduli TBC Banten"}  # nothing saved yet

    page = world.manager.client.get(response["Location"])
    assert page.status_code == 200
    assert "Klinik Bengkel" in page.content.decode()

    confirm = world.manager.client.post(_url(world, f"{job.pk}/konfirmasi/"))
    assert confirm.status_code == 302
    assert _org_names(world) == {"Yayasan Peduli TBC Banten", "Puskesmas Ciruas"}
    with tenant_scope(world.tenant_a):
        refresh(job)
        ciruas = Organization.objects.get(name="Puskesmas Ciruas")
        assert ciruas.region.code == "36.04"
        assert ciruas.sector == "public"
        assert Contact.objects.get(organization=ciruas).is_focal_point
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 1


@pytest.mark.django_db
def test_xlsx_template_round_trip(world):
    template = world.manager.client.get(_url(world, "templat.xlsx"))
    assert template.status_code == 200
    workbook = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in workbook["organisasi"][1]] == HEADER.split(",")
    sheet = workbook["organisasi"]
    sheet.delete_rows(2)
    sheet.append(["RSUD Banten", "rumah_sakit", "", "", "", "", "", "", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("mitra.xlsx", buffer.getvalue())
    response = world.manager.client.post(_url(world), {"file": upload})
    with tenant_scope(world.tenant_a):
        job = ImportJob.objects.get()
    assert job.valid_rows and not job.invalid_rows
    world.manager.client.post(_url(world, f"{job.pk}/konfirmasi/"))
    assert "RSUD Banten" in _org_names(world)
    assert response.status_code == 302


@pytest.mark.django_db
def test_unreadable_file_gets_a_clear_error(world):
    upload = SimpleUploadedFile("mitra.xlsx", b"PK\x03\x04 not really a workbook")
    response = world.manager.client.post(_url(world), {"file": upload}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert "Berkas tidak dapat dibaca" in response.content.decode()
    with tenant_scope(world.tenant_a):
        assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_missing_columns_are_named(world):
    upload = SimpleUploadedFile("mitra.csv", b"nama,alamat\nPuskesmas X,Jl. Y\n")
    response = world.manager.client.post(_url(world), {"file": upload})
    assert "jenis" in response.content.decode()


@pytest.mark.django_db
def test_cancel_saves_nothing(world):
    world.manager.client.post(_url(world), {"file": _csv("Puskesmas Baros,puskesmas,,,,,,,,,,")})
    with tenant_scope(world.tenant_a):
        job = ImportJob.objects.get()
    world.manager.client.post(_url(world, f"{job.pk}/konfirmasi/"), {"action": "cancel"})
    refresh(job)
    assert job.status == ImportJob.Status.CANCELLED
    assert world.manager.client.post(_url(world, f"{job.pk}/konfirmasi/")).status_code == 302
    assert "Puskesmas Baros" not in _org_names(world)


@pytest.mark.django_db
def test_a_conflict_found_at_confirmation_saves_nothing(world):
    world.manager.client.post(
        _url(world), {"file": _csv("Puskesmas Baros,puskesmas,,,,,,,,,,", "Puskesmas Petir,puskesmas,,,,,,,,,,")}
    )
    with tenant_scope(world.tenant_a):
        job = ImportJob.objects.get()
        Organization.objects.create(tenant=world.tenant_a, name="Puskesmas Petir", kind="puskesmas", sector="public")
    world.manager.client.post(_url(world, f"{job.pk}/konfirmasi/"))
    refresh(job)
    assert job.status == ImportJob.Status.VALIDATED
    assert "Puskesmas Baros" not in _org_names(world)


@pytest.mark.django_db
@override_settings(IMPORT_SYNC_MAX_ROWS=3)
def test_large_files_run_as_a_task_with_progress(world):
    # CELERY_TASK_ALWAYS_EAGER in tests: the task runs in-process on commit; the worker test
    # (tests/test_celery_worker.py) runs the same path through Redis.
    rows = [f"Posyandu Mawar {i},komunitas,,,,,,,,,," for i in range(5)]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = world.manager.client.post(_url(world), {"file": _csv(*rows)})
    with tenant_scope(world.tenant_a):
        job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.VALIDATED
    assert job.processed_rows == job.total_rows == 5
    with TestCase.captureOnCommitCallbacks(execute=True):
        world.manager.client.post(_url(world, f"{job.pk}/konfirmasi/"))
    refresh(job)
    assert job.status == ImportJob.Status.DONE
    assert len({n for n in _org_names(world) if n.startswith("Posyandu")}) == 5
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_only_staff_can_import(world, role):
    client = world.persona(role).client
    assert client.get(_url(world)).status_code == 403
    assert client.post(_url(world), {"file": _csv("X,ngo,,,,,,,,,,")}).status_code == 403


def _workbook_bytes():
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_empty_workbook_is_refused(world):
    upload = SimpleUploadedFile("kosong.xlsx", _workbook_bytes())
    response = world.manager.client.post(_url(world), {"file": upload}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    with tenant_scope(world.tenant_a):
        assert not ImportJob.objects.exists()


@pytest.mark.django_db
@override_settings(IMPORT_SYNC_MAX_ROWS=1)
def test_an_unreachable_broker_does_not_lose_the_import(world):
    # Redis refuses connections (a dead broker URL): each step waits in the outbox, pending,
    # and is done once the broker is back and the sweeper publishes it.
    with broker_unreachable(), TestCase.captureOnCommitCallbacks(execute=True):
        response = world.manager.client.post(
            _url(world), {"file": _csv("Puskesmas Baros,puskesmas,,,,,,,,,,", "Puskesmas Petir,puskesmas,,,,,,,,,,")}
        )
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PENDING
    assert outbox_sweep().sent == 1  # the broker is back (tasks run in-process in these tests)
    refresh(job)
    assert job.status == ImportJob.Status.VALIDATED

    with broker_unreachable(), TestCase.captureOnCommitCallbacks(execute=True):
        world.manager.client.post(_url(world, f"{job.pk}/konfirmasi/"))
    refresh(job)
    assert job.status == ImportJob.Status.IMPORTING
    assert "Puskesmas Baros" not in _org_names(world)
    assert outbox_sweep().sent == 1
    refresh(job)
    assert job.status == ImportJob.Status.DONE
    assert {"Puskesmas Baros", "Puskesmas Petir"} <= _org_names(world)
