"""Offline entry: download the period's XLSX, fill it, upload, check per row, confirm."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from organizations.tenancy import tenant_scope
from programs.models import ProgressUpdate


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    import programs.services as s

    monkeypatch.setattr(s.timezone, "localdate", lambda: datetime.date(2026, 6, 5))


def _base(world, pw, period):
    return f"/t/{world.tenant_a.slug}/program/{pw.program.pk}/lapor/{period.pk}/"


def _filled(content: bytes, rows: dict[str, dict]) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["laporan"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for row in sheet.iter_rows(min_row=2):
        code = row[0].value
        for name, value in rows.get(code, {}).items():
            sheet.cell(row=row[0].row, column=columns[name], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_good_and_bad_rows_are_reported_and_only_good_rows_saved_after_confirmation(world, pw):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
    client = world.coordinator.client
    template = client.get(_base(world, pw, may) + "templat.xlsx")
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content))["laporan"]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == ["TBC-1", "TBC-3"]  # the monthly indicators

    content = _filled(
        template.content,
        {"TBC-1": {"nilai": 37, "narasi": "Kunjungan rumah"}, "TBC-3": {"pembilang": 12, "penyebut": 10}},
    )
    preview = client.post(_base(world, pw, may) + "unggah/", {"file": SimpleUploadedFile("laporan.xlsx", content)})
    assert preview.status_code == 200
    rows = {r["kode"]: r for r in preview.context["rows"]}
    assert rows["TBC-1"]["errors"] == {}
    assert "numerator" in rows["TBC-3"]["errors"]
    with tenant_scope(world.tenant_a):
        assert not ProgressUpdate.objects.exists()  # nothing saved before confirmation

    confirmed = client.post(_base(world, pw, may) + "unggah/simpan/", {"action": "submit"})
    assert confirmed.status_code == 302
    with tenant_scope(world.tenant_a):
        update = ProgressUpdate.objects.get()
    assert (update.indicator_id, update.value, update.status, update.narrative) == (
        pw.cases.pk,
        Decimal(37),
        "submitted",
        "Kunjungan rumah",
    )


@pytest.mark.django_db
def test_a_foreign_file_is_refused_clearly(world, pw):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
    response = world.coordinator.client.post(
        _base(world, pw, may) + "unggah/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}
    )
    assert response.status_code == 400
    assert response.context["error"]


@pytest.mark.django_db
def test_a_conflict_at_confirmation_saves_nothing(world, pw):
    from programs import services

    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
    client = world.coordinator.client
    content = _filled(
        client.get(_base(world, pw, may) + "templat.xlsx").content,
        {"TBC-1": {"nilai": 5}, "TBC-3": {"pembilang": 1, "penyebut": 2}},
    )
    client.post(_base(world, pw, may) + "unggah/", {"file": SimpleUploadedFile("laporan.xlsx", content)})
    # Meanwhile the ratio was submitted from the form: the sheet's row can no longer be saved.
    with tenant_scope(world.tenant_a):
        update = services.progress_update_save(
            indicator=pw.ratio,
            period=may,
            organization=world.partner_a,
            actor=None,
            numerator=Decimal(1),
            denominator=Decimal(3),
        )
        services.progress_update_submit(update=update, actor=world.coordinator.user)
    client.post(_base(world, pw, may) + "unggah/simpan/", {"action": "draft"})
    with tenant_scope(world.tenant_a):
        assert list(ProgressUpdate.objects.values_list("indicator_id", flat=True)) == [pw.ratio.pk]


@pytest.mark.django_db
def test_other_organizations_cannot_use_the_sheet(world, pw, orgs):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
    # A viewer may not download or upload; B's admin cannot even see it.
    assert (
        world.viewer.client.get(_base(world, pw, may) + "templat.xlsx").status_code == 404
    )  # viewers report for no organization
    assert world.outsider.client.get(_base(world, pw, may) + "templat.xlsx").status_code == 404
