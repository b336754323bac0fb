"""The program form offers the chosen agreement's parties as implementers."""

import pytest

from organizations.tenancy import tenant_scope


@pytest.mark.django_db
def test_implementers_are_the_agreements_parties(world, orgs, make_agreement):
    referral = make_agreement("active")  # RSUD and puskesmas
    make_agreement(
        "active", parties=("company", "puskesmas"), partnership_type="public_private", title="Imunisasi TJSL"
    )
    page = world.manager.client.get(f"/t/{world.tenant_a.slug}/program/baru/", {"agreement": referral.pk})
    with tenant_scope(world.tenant_a):
        offered = {o.name for o in page.context["form"].fields["implementers"].queryset}
    assert offered == {"RSUD dr. Dradjat Prawiranegara", "Puskesmas Ciruas"}
    response = world.manager.client.post(
        f"/t/{world.tenant_a.slug}/program/baru/",
        {"agreement": referral.pk, "name": "Telekonsultasi", "theme": "telemedicine", "starts_on": "2026-02-01",
         "ends_on": "2026-12-31", "status": "active", "implementers": [orgs["company"].pk]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "implementers" in response.context["form"].errors
