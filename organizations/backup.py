"""One tenant's data to a file and back (``manage.py tenant_export`` / ``tenant_import``).

The file is gzip-compressed JSON lines: a header line, then one line per row — every row of
every model with a ``tenant`` column (including the change history), the tenant itself, and
the global rows those reference: the users (with their password hashes, so people can sign in
after a restore) and the regions (with their ancestors). API tokens and two-step verification devices are not exported
(a restore asks people to set them up again). Uploaded files stay in the media store and are backed up with it
(docs/operations.md); the rows keep their paths.

Import is for an empty database (or one without this tenant): all rows are inserted in one
transaction with primary keys kept, constraints checked at the end, sequences reset; users and
regions that already exist with the same primary key are left as they are. Timestamps are kept
as they were (raw inserts, no ``auto_now``)."""

from __future__ import annotations

import datetime
import gzip
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model

from .models import Region, Tenant, User
from .tenancy import scopes_disabled

FORMAT = "mitrasehat-tenant-export"
VERSION = 1
BATCH = 1_000


class BackupError(Exception):
    pass


class _Encoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def tenant_models() -> list[type[Model]]:
    """Every model with a foreign key to the tenant (history tables included), parents first."""
    found = [
        model
        for model in apps.get_models()
        if any(f.is_relation and f.related_model is Tenant and f.name == "tenant" for f in model._meta.concrete_fields)
    ]
    return sorted(found, key=lambda m: (m._meta.app_label, m._meta.model_name))


def _rows(model: type[Model], qs) -> Iterator[dict]:
    for start in range(0, qs.count(), BATCH):
        yield from serializers.serialize("python", qs[start : start + BATCH])


def export_tenant(slug: str, path: str | Path) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    with scopes_disabled():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise BackupError(f"No tenant with slug {slug!r}.")
        user_ids: set[int] = set()
        region_ids: set[int] = set()
        with gzip.open(path, "wt", encoding="utf-8") as out:
            header = {"format": FORMAT, "version": VERSION, "tenant": slug,
                      "exported_at": datetime.datetime.now(datetime.UTC).isoformat()}  # fmt: skip
            out.write(json.dumps(header) + "\n")
            body = []
            for model in tenant_models():
                qs = model._base_manager.filter(tenant_id=tenant.pk).order_by("pk")
                user_fks = [f.attname for f in model._meta.concrete_fields if f.is_relation and f.related_model is User]
                region_fks = [
                    f.attname for f in model._meta.concrete_fields if f.is_relation and f.related_model is Region
                ]
                for names, bucket in ((user_fks, user_ids), (region_fks, region_ids)):
                    for name in names:
                        bucket.update(v for v in qs.values_list(name, flat=True).distinct() if v is not None)
                body.append((model, qs))
            # globals first, so an import reads them before the rows that point at them
            while True:  # a region's ancestors
                parents = set(Region.objects.filter(pk__in=region_ids).values_list("parent_id", flat=True)) - {None}
                if parents <= region_ids:
                    break
                region_ids |= parents
            regions = Region.objects.filter(pk__in=region_ids).order_by("level", "pk")
            users = User.objects.filter(pk__in=user_ids).order_by("pk")
            for model, qs in [(Region, regions), (User, users), (Tenant, Tenant.objects.filter(pk=tenant.pk))] + body:
                for row in _rows(model, qs):
                    out.write(json.dumps(row, cls=_Encoder) + "\n")
                    counts[model._meta.label] += 1
    return dict(counts)


def _read(path: str | Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        header = json.loads(source.readline() or "{}")
        if header.get("format") != FORMAT or header.get("version") != VERSION:
            raise BackupError("Not a MitraSehat tenant export (or a version this release cannot read).")
        yield header
        for line in source:
            if line.strip():
                yield json.loads(line)


GLOBAL = {"organizations.region", "organizations.user"}


def import_tenant(path: str | Path) -> dict[str, int]:
    rows = _read(path)
    header = next(rows)
    counts: dict[str, int] = defaultdict(int)
    touched: set[type[Model]] = set()
    with scopes_disabled(), transaction.atomic(), connection.constraint_checks_disabled():
        if Tenant.objects.filter(slug=header["tenant"]).exists():
            raise BackupError(f"Tenant {header['tenant']!r} already exists here; import into an empty database.")
        pending: list[Model] = []

        def flush() -> None:
            if not pending:
                return
            model = type(pending[0])
            if model._meta.label_lower in GLOBAL:  # keep what is already there
                existing = set(model._base_manager.filter(pk__in=[o.pk for o in pending]).values_list("pk", flat=True))
                pending[:] = [o for o in pending if o.pk not in existing]
            if pending:
                fields = [f for f in model._meta.concrete_fields]
                model._base_manager._insert(pending, fields=fields, raw=True)  # raw: timestamps as exported
                counts[model._meta.label] += len(pending)
                touched.add(model)
            pending.clear()

        for deserialized in serializers.deserialize("python", rows_without_header(rows)):
            obj = deserialized.object
            if pending and (type(obj) is not type(pending[0]) or len(pending) >= BATCH):
                flush()
            pending.append(obj)
        flush()
        connection.check_constraints(table_names=[m._meta.db_table for m in touched])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(touched)):
                cursor.execute(sql)
    return dict(counts)


def rows_without_header(rows: Iterator[dict]) -> Iterator[dict]:
    yield from rows
