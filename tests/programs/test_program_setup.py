"""Programs under an agreement, SPM indicator templates, target revisions, achievement."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from organizations.tenancy import tenant_scope
from programs import services
from programs.models import Indicator, TargetRevision
from programs.selectors import achievements


@pytest.mark.django_db
def test_implementers_are_chosen_among_the_agreements_parties(world, orgs, make_agreement):
    agreement = make_agreement("active")  # RSUD and puskesmas
    with tenant_scope(world.tenant_a), pytest.raises(ValidationError) as caught:
        services.program_create(
            tenant=world.tenant_a, agreement=agreement, actor=None, implementers=[orgs["company"]],
            name="X", theme="tbc", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
        )  # fmt: skip
    assert "implementers" in caught.value.message_dict


@pytest.mark.django_db
def test_programs_api_create_and_roles(world, orgs, make_agreement):
    agreement = make_agreement("active")
    payload = {
        "agreement": agreement.pk, "name": "Rujukan balik pasien DM", "theme": "penyakit_tidak_menular",
        "implementers": [orgs["rsud"].pk, orgs["puskesmas"].pk], "starts_on": "2026-01-01", "ends_on": "2026-12-31",
    }  # fmt: skip
    url = f"/api/v1/t/{world.tenant_a.slug}/programs/"
    assert world.coordinator.client.post(url, payload, content_type="application/json").status_code == 403
    assert world.viewer.client.post(url, payload, content_type="application/json").status_code == 403
    response = world.manager.client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert sorted(response.json()["implementers"]) == sorted([orgs["rsud"].pk, orgs["puskesmas"].pk])


@pytest.mark.django_db
def test_spm_templates_are_added_in_one_step_and_only_once(world, pw):
    url = f"/api/v1/t/{world.tenant_a.slug}/programs/{pw.program.pk}/add-spm/"
    response = world.manager.client.post(url, {"services": [8, 9, 11]}, content_type="application/json")
    assert response.status_code == 201
    assert [i["code"] for i in response.json()] == ["SPM-08", "SPM-09", "SPM-11"]
    assert all(i["target"] == "100.00" and i["kind"] == "ratio" for i in response.json())
    again = world.manager.client.post(url, {"services": [8, 12]}, content_type="application/json")
    assert [i["code"] for i in again.json()] == ["SPM-12"]
    assert world.manager.client.post(url, {"services": [13]}, content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_target_revisions_keep_old_value_new_value_reason_and_who(world, pw):
    url = f"/api/v1/t/{world.tenant_a.slug}/indicators/{pw.cases.pk}/"
    assert world.manager.client.patch(url, {"target": "500"}, content_type="application/json").status_code == 400
    missing_reason = world.manager.client.post(
        url + "revise-target/", {"new_target": "500", "reason": ""}, content_type="application/json"
    )
    assert missing_reason.status_code == 400
    response = world.manager.client.post(
        url + "revise-target/", {"new_target": "500", "reason": "Perluasan ke 2 desa"}, content_type="application/json"
    )
    assert response.status_code == 201
    with tenant_scope(world.tenant_a):
        revision = TargetRevision.objects.get()
        assert (revision.old_target, revision.new_target, revision.revised_by) == (
            Decimal(400),
            Decimal(500),
            world.manager.user,
        )
        assert Indicator.objects.get(pk=pw.cases.pk).target == Decimal(500)
    history = world.viewer.client.get(url + "target-revisions/").json()
    assert history[0]["reason"] == "Perluasan ke 2 desa"


def _report(world, pw, indicator, organization, number, status="approved", **values):
    with tenant_scope(world.tenant_a):
        update = services.progress_update_save(
            indicator=indicator, period=pw.period(indicator, 2026, number), organization=organization, actor=None,
            today=datetime.date(2026, 6, 5), **values,
        )  # fmt: skip
        if status in {"submitted", "approved"}:
            services.progress_update_submit(
                update=update, actor=world.coordinator.user, today=datetime.date(2026, 6, 5)
            )
        if status == "approved":
            services.progress_update_approve(update=update, actor=world.manager.user)
        return update


@pytest.mark.django_db
def test_achievement_counts_approved_values_only(world, pw, orgs):

    # Opening the early periods for the test: reopen Jan–Apr for both organizations.
    with tenant_scope(world.tenant_a):
        for number in (3, 4):
            for organization in (world.partner_a, orgs["puskesmas"]):
                services.period_reopen(
                    period=pw.period(pw.cases, 2026, number),
                    organization=organization,
                    actor=None,
                    reason="uji",
                    until=datetime.date(2026, 12, 31),
                )
                services.period_reopen(
                    period=pw.period(pw.ratio, 2026, number),
                    organization=organization,
                    actor=None,
                    reason="uji",
                    until=datetime.date(2026, 12, 31),
                )
    # Cumulative cases: each organization's latest approved total, summed.
    _report(world, pw, pw.cases, world.partner_a, 4, value=Decimal(60))
    _report(world, pw, pw.cases, world.partner_a, 5, value=Decimal(90))
    _report(world, pw, pw.cases, orgs["puskesmas"], 4, value=Decimal(50))
    _report(world, pw, pw.cases, orgs["puskesmas"], 5, status="submitted", value=Decimal(500))  # not approved: ignored
    # Ratio: Σ numerators / Σ denominators of the latest approved period.
    _report(world, pw, pw.ratio, world.partner_a, 4, numerator=Decimal(1), denominator=Decimal(10))
    _report(world, pw, pw.ratio, world.partner_a, 5, numerator=Decimal(30), denominator=Decimal(40))
    _report(world, pw, pw.ratio, orgs["puskesmas"], 5, numerator=Decimal(10), denominator=Decimal(40))
    with tenant_scope(world.tenant_a):
        result = {a.indicator.code: a for a in achievements(program=pw.program)}
    assert result["TBC-1"].achieved == Decimal(140)  # 90 + 50
    assert result["TBC-1"].percent_of_target == Decimal("35.0")  # 140 / 400
    assert result["TBC-3"].achieved == Decimal("50.00")  # (30 + 10) / (40 + 40)
    assert result["TBC-3"].percent_of_target == Decimal("50.0")
    assert result["TBC-2"].achieved is None  # nothing approved
    api = world.viewer.client.get(f"/api/v1/t/{world.tenant_a.slug}/programs/{pw.program.pk}/achievement/").json()
    assert {row["indicator"]["code"]: row["achieved"] for row in api} == {
        "TBC-1": "140.00",
        "TBC-2": None,
        "TBC-3": "50.00",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 20])
def test_progress_update_list_query_count_is_constant(world, pw, orgs, rows, django_assert_num_queries):
    with tenant_scope(world.tenant_a):
        for number in range(1, rows + 1):
            services.period_reopen(
                period=pw.period(pw.cases, 2026, (number - 1) % 12 + 1),
                organization=world.partner_a,
                actor=None,
                reason="uji",
                until=datetime.date(2026, 12, 31),
            )
    for number in range(1, min(rows, 12) + 1):
        _report(world, pw, pw.cases, world.partner_a, number, status="draft", value=Decimal(number))
    count = min(rows, 12)
    # session, user, membership, count, page (with indicator, period, organization, people), evidence
    with django_assert_num_queries(5):
        response = world.viewer.client.get(f"/api/v1/t/{world.tenant_a.slug}/progress-updates/")
    assert response.json()["count"] == count


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 10])
def test_program_and_indicator_api_lists_have_constant_query_counts(world, pw, orgs, extra, django_assert_num_queries):
    with tenant_scope(world.tenant_a):
        for i in range(extra):
            program = services.program_create(
                tenant=world.tenant_a, agreement=pw.program.agreement, actor=None, implementers=[orgs["puskesmas"]],
                name=f"Program {i}", theme="gizi", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
            )  # fmt: skip
            services.indicator_create(
                program=program, actor=None, code="G-1", name="Balita ditimbang", target=Decimal(10)
            )
    client = world.coordinator.client
    # user, membership, count, page, implementers, regions (the session comes from the cache)
    with django_assert_num_queries(6):
        programs = client.get(f"/api/v1/t/{world.tenant_a.slug}/programs/", {"page_size": 50}).json()
    assert programs["count"] == 1 + extra
    # user, count, page — the membership is cached since the request above
    with django_assert_num_queries(3):
        indicators = client.get(f"/api/v1/t/{world.tenant_a.slug}/indicators/", {"page_size": 50}).json()
    assert indicators["count"] == 3 + extra
