"""Program pages: list, detail with the indicator table, Laporan saya, the report form, the
approval queue (htmx approve/return, bulk approve); query counts; roles."""

import datetime
from decimal import Decimal

import pytest

from organizations.tenancy import tenant_scope
from programs import services
from programs.models import ProgressUpdate


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    import programs.services as s

    monkeypatch.setattr(s.timezone, "localdate", lambda: datetime.date(2026, 6, 5))


def _url(world, suffix=""):
    return f"/t/{world.tenant_a.slug}/program/{suffix}"


def _submitted(world, pw, organization, number=5, value=Decimal(10), by=None):
    with tenant_scope(world.tenant_a):
        update = services.progress_update_save(
            indicator=pw.cases,
            period=pw.period(pw.cases, 2026, number),
            organization=organization,
            actor=None,
            value=value,
        )
        return services.progress_update_submit(update=update, actor=by or world.coordinator.user)


@pytest.mark.django_db
def test_coordinators_land_on_their_home_with_their_reports(world, pw):
    from django.test import Client

    client = Client()
    response = client.post(
        "/akun/login/", {"login": "koordinator@serang.test", "password": "rahasia-uji-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/t/{world.tenant_a.slug}/"
    assert "reporting/coordinator_home.html" in [t.name for t in response.templates]
    assert _url(world, "laporan-saya/") in response.content.decode()
    response = client.get(_url(world, "laporan-saya/"))
    tasks = response.context["tasks"]
    # May (monthly: 2 indicators) is due; April is overdue; Q2 has started.
    assert [(t.period.frequency, t.period.number, t.state) for t in tasks][:2] == [
        ("monthly", 4, "overdue"),
        ("monthly", 5, "due"),
    ]


@pytest.mark.django_db
def test_coordinator_submits_the_period_from_the_form(world, pw):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
    url = _url(world, f"{pw.program.pk}/lapor/{may.pk}/")
    client = world.coordinator.client
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "organization": world.partner_a.pk,
        "action": "submit",
        f"i{pw.cases.pk}-value": "42",
        f"i{pw.cases.pk}-narrative": "Kunjungan rumah di 4 desa",
        f"i{pw.ratio.pk}-numerator": "8",
        f"i{pw.ratio.pk}-denominator": "10",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        statuses = dict(ProgressUpdate.objects.values_list("indicator_id", "status"))
    assert statuses == {pw.cases.pk: "submitted", pw.ratio.pk: "submitted"}


@pytest.mark.django_db
def test_report_form_errors_keep_everything_unsaved(world, pw):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
    url = _url(world, f"{pw.program.pk}/lapor/{may.pk}/")
    data = {
        "organization": world.partner_a.pk,
        "action": "submit",
        f"i{pw.cases.pk}-value": "42",
        f"i{pw.ratio.pk}-numerator": "12",
        f"i{pw.ratio.pk}-denominator": "10",
    }
    response = world.coordinator.client.post(url, data)
    assert response.status_code == 400
    assert "Pembilang tidak boleh lebih besar dari penyebut." in response.content.decode()
    with tenant_scope(world.tenant_a):
        assert not ProgressUpdate.objects.exists()


@pytest.mark.django_db
def test_coordinator_cannot_report_for_another_organization(world, pw, orgs):
    with tenant_scope(world.tenant_a):
        may = pw.period(pw.cases, 2026, 5)
    url = _url(world, f"{pw.program.pk}/lapor/{may.pk}/")
    # The organization field is ignored for coordinators: they always report for their own.
    world.coordinator.client.post(
        url, {"organization": orgs["puskesmas"].pk, "action": "draft", f"i{pw.cases.pk}-value": "1"}
    )
    with tenant_scope(world.tenant_a):
        assert list(ProgressUpdate.objects.values_list("organization_id", flat=True)) == [world.partner_a.pk]


@pytest.mark.django_db
def test_approval_queue_approves_and_returns_in_place(world, pw, orgs):
    first = _submitted(world, pw, world.partner_a, number=5)
    second = _submitted(world, pw, orgs["puskesmas"], number=5, by=world.admin.user)
    client = world.manager.client
    queue = client.get(_url(world, "persetujuan/"))
    assert [u.pk for u in queue.context["page"].object_list] == [first.pk, second.pk]
    approved = client.post(_url(world, f"laporan/{first.pk}/approve/"), HTTP_HX_REQUEST="true")
    assert approved.status_code == 200 and "<html" not in approved.content.decode()
    returned = client.post(
        _url(world, f"laporan/{second.pk}/return/"), {"note": "Lampirkan register"}, HTTP_HX_REQUEST="true"
    )
    assert returned.status_code == 200
    with tenant_scope(world.tenant_a):
        assert ProgressUpdate.objects.get(pk=first.pk).status == "approved"
        returned_update = ProgressUpdate.objects.get(pk=second.pk)
    assert (returned_update.status, returned_update.review_note) == ("returned", "Lampirkan register")


@pytest.mark.django_db
def test_bulk_approve_skips_the_reviewers_own_submissions(world, pw, orgs):
    mine = _submitted(world, pw, orgs["puskesmas"], number=5, by=world.manager.user)
    theirs = _submitted(world, pw, world.partner_a, number=5)
    response = world.manager.client.post(_url(world, "persetujuan/setujui-semua/"), {"updates": [mine.pk, theirs.pk]})
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        assert dict(ProgressUpdate.objects.values_list("pk", "status")) == {mine.pk: "submitted", theirs.pk: "approved"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_only_staff_review(world, pw, role):
    update = _submitted(world, pw, world.partner_a)
    client = world.persona(role).client
    assert client.get(_url(world, "persetujuan/")).status_code == 403
    assert client.post(_url(world, f"laporan/{update.pk}/approve/")).status_code in (403, 404)
    assert client.post(_url(world, "persetujuan/setujui-semua/"), {"updates": [update.pk]}).status_code == 403
    with tenant_scope(world.tenant_a):
        assert ProgressUpdate.objects.get(pk=update.pk).status == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize("programs", [1, 15])
def test_list_query_count_is_pinned(world, pw, orgs, programs, django_assert_num_queries):
    for i in range(programs - 1):
        with tenant_scope(world.tenant_a):
            services.program_create(
                tenant=world.tenant_a, agreement=pw.program.agreement, actor=None, implementers=[orgs["puskesmas"]],
                name=f"Program {i}", theme="gizi", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
            )  # fmt: skip
    # user, memberships (current + switcher), count, page, implementers, reporting rates
    # (program ids, implementers, indicators, periods, received reports), bell — sessions come
    # from the cache
    with django_assert_num_queries(11):
        response = world.viewer.client.get(_url(world))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == programs


@pytest.mark.django_db
def test_detail_counts_only_approved_values(world, pw):
    update = _submitted(world, pw, world.partner_a, value=Decimal(77))
    page = world.viewer.client.get(_url(world, f"{pw.program.pk}/"))
    row = next(r for r in page.context["rows"] if r["achievement"].indicator.pk == pw.cases.pk)
    assert row["achievement"].achieved is None
    with tenant_scope(world.tenant_a):
        services.progress_update_approve(update=update, actor=world.manager.user)
    page = world.viewer.client.get(_url(world, f"{pw.program.pk}/"))
    row = next(r for r in page.context["rows"] if r["achievement"].indicator.pk == pw.cases.pk)
    assert row["achievement"].achieved == Decimal(77)
    assert row["series"] == [77.0]


@pytest.mark.django_db
def test_detail_query_count_is_pinned_and_constant(world, pw, orgs):
    """≤ 15 queries whatever the number of indicators and approved reports (issue 8): the
    achievement is read from the indicator, not recomputed from every update."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = world.viewer.client.get(_url(world, f"{pw.program.pk}/"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    with tenant_scope(world.tenant_a):
        services.milestone_create(program=pw.program, actor=None, title="Rapat awal", due_on=datetime.date(2026, 2, 1))
    few = count()
    for number in (4, 5):
        for organization in (world.partner_a, orgs["puskesmas"]):
            update = _submitted(world, pw, organization, number=number, value=Decimal(number), by=world.admin.user)
            with tenant_scope(world.tenant_a):
                services.progress_update_approve(update=update, actor=world.manager.user)
    with tenant_scope(world.tenant_a):
        for i in range(4):
            services.indicator_create(program=pw.program, actor=None, code=f"X-{i}", name=f"X {i}", target=Decimal(9))
        services.milestone_create(
            program=pw.program, actor=None, title="Pelatihan kader", due_on=datetime.date(2026, 7, 1)
        )
    many = count()
    assert few == many == 14, (few, many)  # incl. the milestones' evidence
