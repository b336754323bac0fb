"""The coordinator's home at the tenant address: their agreements and programs, the reports
returned and due, open surveys and pending money requests; staff get the dashboard instead;
a pinned number of queries however much there is to show."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from organizations.tenancy import tenant_scope
from programs import fund_services, services
from reporting import surveys

TODAY = datetime.date(2026, 6, 5)
ALL_AGREE = {f"q{i}": "4" for i in range(1, 14)}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _home(world):
    return f"/t/{world.tenant_a.slug}/"


def _returned(world, pw, number=4):
    """The coordinator sends the April case count; the manager returns it with a note."""
    with tenant_scope(world.tenant_a):
        update = services.progress_update_save(
            indicator=pw.cases,
            period=pw.period(pw.cases, 2026, number),
            organization=world.partner_a,
            actor=world.coordinator.user,
            value=Decimal(12),
        )
        update = services.progress_update_submit(update=update, actor=world.coordinator.user)
        return services.progress_update_return(
            update=update, actor=world.manager.user, note="Angka tidak sesuai register TBC"
        )


def _request(world, fund, program, amount=Decimal(1_500_000)):
    with tenant_scope(world.tenant_a):
        return fund_services.disbursement_request(
            fund=fund,
            program=program,
            actor=world.coordinator.user,
            amount=amount,
            purpose="Transport kader",
            planned_on=datetime.date(2026, 6, 20),
        )


def _open_survey(world, agreement):
    with tenant_scope(world.tenant_a):
        return surveys.round_open(agreement=agreement, actor=world.manager.user, days=14)


@pytest.mark.django_db
def test_coordinator_home_shows_programs_agreements_and_what_to_do(world, pw, fw):
    fund, _pledge = fw
    _returned(world, pw)
    survey = _open_survey(world, pw.program.agreement)
    disbursement = _request(world, fund, pw.program)

    response = world.coordinator.client.get(_home(world))

    assert response.status_code == 200
    assert "reporting/coordinator_home.html" in [t.name for t in response.templates]
    html = response.content.decode()
    slug = world.tenant_a.slug
    program = pw.program
    # greeting and organization
    assert escape(world.coordinator.user.display_name) in html
    assert world.partner_a.name in html
    # Kemitraan and Program
    assert [a.pk for a in response.context["agreements"]] == [program.agreement.pk]
    assert reverse("agreement_detail", args=[slug, program.agreement.pk]) in html
    assert program.agreement.title in html
    assert program.name in html
    # a returned report first, with its button to the form
    with tenant_scope(world.tenant_a):
        april = pw.period(pw.cases, 2026, 4)
        may = pw.period(pw.cases, 2026, 5)
    assert [(t.period.pk, t.state) for t in response.context["returned"]] == [(april.pk, "returned")]
    april_url = reverse("report_form", args=[slug, program.pk, april.pk])
    may_url = reverse("report_form", args=[slug, program.pk, may.pk])
    assert april_url in html
    assert "Perbaiki dan kirim ulang" in html  # the button: "Fix and resubmit"
    # then the reports due (May is due, Q2 has started)
    assert (may.pk, "due") in [(t.period.pk, t.state) for t in response.context["due"]]
    assert may_url in html
    assert html.index(april_url) < html.index(may_url)
    # the open survey, with a link to answer it in the app
    assert [s.pk for s in response.context["surveys"]] == [survey.pk]
    assert reverse("survey_detail", args=[slug, survey.pk]) in html
    assert "Isi survei" in html  # "Answer the survey"
    # the pending money request with its status and link
    assert [d.pk for d in response.context["requests"]] == [disbursement.pk]
    assert reverse("disbursement_detail", args=[slug, fund.pk, disbursement.pk]) in html
    assert "Rp1.500.000" in html
    assert "Diajukan" in html  # "Requested"
    # and a way to all their reports
    assert reverse("my_reports", args=[slug]) in html


@pytest.mark.django_db
def test_an_answered_survey_leaves_the_home(world, pw):
    survey = _open_survey(world, pw.program.agreement)
    with tenant_scope(world.tenant_a):
        surveys.response_submit(
            survey=survey, organization=world.partner_a, answers=ALL_AGREE, user=world.coordinator.user
        )

    response = world.coordinator.client.get(_home(world))

    assert response.context["surveys"] == []
    assert reverse("survey_detail", args=[world.tenant_a.slug, survey.pk]) not in response.content.decode()


@pytest.mark.django_db
def test_empty_home_says_there_is_nothing_to_do(world):
    response = world.coordinator.client.get(_home(world))

    assert response.status_code == 200
    context = response.context
    assert not context["agreements"] and not context["programs"] and not context["requests"]
    assert context["due"] == [] and context["returned"] == [] and context["surveys"] == []
    html = response.content.decode()
    assert world.partner_a.name in html
    assert "/lapor/" not in html
    assert "Belum ada program" in html  # "No programs yet"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "admin", "viewer"])
def test_staff_and_viewers_get_the_dashboard(world, pw, role):
    response = world.persona(role).client.get(_home(world))

    assert response.status_code == 200
    names = [t.name for t in response.templates]
    assert "reporting/dashboard.html" in names
    assert "reporting/coordinator_home.html" not in names


def _grow(world, pw, fw, make_agreement, orgs, n):
    """n more agreements, each with a program the coordinator's NGO implements (one monthly
    indicator), a fund, a pending request and an open survey; plus n more requests on the TB fund."""
    fund, _pledge = fw
    for i in range(n):
        agreement = make_agreement(
            "active", parties=("puskesmas", "ngo"), partnership_type="provider_community", title=f"Kemitraan gizi {i}"
        )
        with tenant_scope(world.tenant_a):
            program = services.program_create(
                tenant=world.tenant_a, agreement=agreement, actor=None, implementers=[orgs["ngo"]],
                name=f"Program gizi {i}", theme="gizi", starts_on=datetime.date(2026, 1, 1),
                ends_on=datetime.date(2026, 12, 31), status="active",
            )  # fmt: skip
            services.indicator_create(program=program, actor=None, code=f"GZ-{i}", name="Balita ditimbang",
                                      kind="count", target=Decimal(100))  # fmt: skip
            other = fund_services.fund_create(
                tenant=world.tenant_a, agreement=agreement, actor=None, name=f"Dana gizi {i}", programs=[program]
            )
        _request(world, other, program)
        _request(world, fund, pw.program, amount=Decimal(100_000 + i))
        _open_survey(world, agreement)


def _count(world):
    with CaptureQueriesContext(connection) as queries:
        response = world.coordinator.client.get(_home(world))
    assert response.status_code == 200
    return len(queries), response


# session, user, membership (organization and tenant joined); report tasks (programs implemented,
# programs, indicators, updates, periods); surveys; the tenant switcher; the notification bell;
# then, while rendering, agreements, programs and requests
PINNED_QUERIES = 12


@pytest.mark.django_db
def test_query_count_is_pinned_and_constant(world, pw, fw, make_agreement, orgs):
    fund, _pledge = fw
    _returned(world, pw)
    _request(world, fund, pw.program)
    _open_survey(world, pw.program.agreement)
    few, response = _count(world)
    assert len(response.context["programs"]) == 1

    _grow(world, pw, fw, make_agreement, orgs, 4)
    many, response = _count(world)
    assert len(response.context["programs"]) == 5
    assert len(response.context["requests"]) == 9
    assert len(response.context["surveys"]) == 5
    assert len(response.context["agreements"]) == 5

    assert few == many == PINNED_QUERIES
