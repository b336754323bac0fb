"""Health reviews end to end on the database: computing and rerunning a period, the schedule,
confirm / override, notices when a band worsens, pages, API and roles."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Notification
from organizations.tenancy import scopes_disabled, tenant_scope
from reporting import services
from reporting.models import HealthReview, ReviewRun
from reporting.tasks import health_reviews_scheduled
from tests.factories import refresh

T = datetime.date(2026, 6, 15)


def _compute(world, today=T, **kwargs):
    with tenant_scope(world.tenant_a):
        return services.reviews_compute(tenant=world.tenant_a, today=today, **kwargs)


@pytest.mark.django_db
def test_one_review_per_agreement_and_period_and_reruns_update_in_place(world, pw, fw):
    (first,) = _compute(world)
    assert first.period == "2026-06" and first.method_version == "phr-v1"
    assert first.band in {"healthy", "watch", "at_risk", "insufficient", "early"}
    assert set(first.dimensions) == {"D1", "D2", "D3", "D4", "D5", "D6", "D7"}
    assert first.weights and len(first.input_hash) == 64
    (again,) = _compute(world, today=T + datetime.timedelta(days=3))
    with scopes_disabled():
        assert again.pk == first.pk and HealthReview.unscoped.count() == 1
    (july,) = _compute(world, today=datetime.date(2026, 7, 2))
    assert july.pk != first.pk and july.period == "2026-07"
    with scopes_disabled():
        assert HealthReview.unscoped.count() == 2


@pytest.mark.django_db
def test_same_inputs_same_result(world, pw, fw):
    (first,) = _compute(world)
    snapshot = (first.score, first.band, first.dimensions, first.reasons, first.input_hash)
    (again,) = _compute(world)
    assert (again.score, again.band, again.dimensions, again.reasons, again.input_hash) == snapshot


@pytest.mark.django_db
def test_confirm_keeps_the_computed_result_and_override_needs_a_note(world, pw, fw):
    from django.core.exceptions import ValidationError

    (review,) = _compute(world)
    other = "healthy" if review.band != "healthy" else "watch"
    with tenant_scope(world.tenant_a):
        with pytest.raises(ValidationError):
            services.review_confirm(review=review, actor=world.manager.user, band=other, note=" ")
        review = services.review_confirm(
            review=review, actor=world.manager.user, band=other, note="Rapat evaluasi bersama 10 Juni"
        )
    assert review.override_band == other and review.effective_band == other
    assert review.band != other  # the computed band stays beside the override
    assert review.confirmed_by == world.manager.user


@pytest.mark.django_db
def test_managers_hear_once_when_the_band_worsens(world, pw, orgs, django_capture_on_commit_callbacks):
    from programs import fund_services as funds

    agreement = pw.program.agreement
    with tenant_scope(world.tenant_a):
        HealthReview.objects.create(
            tenant=world.tenant_a, agreement=agreement, period="2026-05",
            review_date=datetime.date(2026, 5, 31), method_version="phr-v1", input_hash="0" * 64,
            score=Decimal("80.0"), band="healthy", computed_band="healthy", confidence=Decimal("0.9"),
            computed_at=datetime.datetime(2026, 5, 31, tzinfo=datetime.UTC),
        )  # fmt: skip
        # A critical flag: the only pledge fell due in February and nothing has arrived.
        fund = funds.fund_create(tenant=world.tenant_a, agreement=agreement, actor=None, name="Dana TBC")
        funds.pledge_create(
            fund=fund, organization=orgs["puskesmas"], actor=None, channel="blud", amount=Decimal(5_000_000),
            installments=[(datetime.date(2026, 2, 1), Decimal(5_000_000))],
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        (review,) = _compute(world)
    assert review.band == "at_risk"
    assert any(f["code"] == "pledge_overdue" or f["severity"] == "critical" for f in review.flags)
    with scopes_disabled():
        notices = list(Notification.unscoped.filter(kind="health_worsened").select_related("user"))
    assert {n.user for n in notices} == {world.admin.user, world.manager.user}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.admin.user.email, world.manager.user.email])
    assert "Puskesmas Ciruas" in mail.outbox[0].body  # the main reason, with its numbers
    with django_capture_on_commit_callbacks(execute=True):
        _compute(world)
    with scopes_disabled():
        assert Notification.unscoped.filter(kind="health_worsened").count() == 2  # not again
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_schedule_reviews_the_period_that_just_ended_once(world, pw, fw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the tenants' jobs are published on commit
        assert health_reviews_scheduled.apply(kwargs={"today": "2026-07-01"}).get() >= 1
    with scopes_disabled():
        review = HealthReview.unscoped.get()
    assert (review.period, review.review_date) == ("2026-06", datetime.date(2026, 6, 30))
    assert health_reviews_scheduled.apply(kwargs={"today": "2026-07-02"}).get() == 0  # tenant A done
    with scopes_disabled():
        assert HealthReview.unscoped.filter(tenant=world.tenant_a).count() == 1


@pytest.mark.parametrize(
    ("day", "frequency", "period", "last"),
    [
        (datetime.date(2026, 11, 25), "monthly", "2026-11", datetime.date(2026, 11, 30)),
        (datetime.date(2026, 11, 25), "quarterly", "2026-Q4", datetime.date(2026, 12, 31)),
        (datetime.date(2026, 11, 25), "weekly", "2026-W48", datetime.date(2026, 11, 29)),
        (datetime.date(2026, 12, 31), "monthly", "2026-12", datetime.date(2026, 12, 31)),
    ],
)
def test_periods(day, frequency, period, last):
    assert services.period_of(day, frequency) == (period, last)


# --- pages -----------------------------------------------------------------------------------


def _base(world):
    return f"/t/{world.tenant_a.slug}/tinjauan/"


@pytest.mark.django_db
def test_run_now_then_the_overview_lists_the_partnership(world, pw, fw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = world.manager.client.post(_base(world) + "jalankan/")
    assert response.status_code == 302
    with scopes_disabled():
        run = ReviewRun.unscoped.get()
    assert run.status == "done" and run.total == run.done == 1
    page = world.viewer.client.get(_base(world)).content.decode()
    assert pw.program.agreement.title in page
    with scopes_disabled():
        review = HealthReview.unscoped.get()
    detail = world.viewer.client.get(_base(world) + f"{review.pk}/").content.decode()
    assert "phr-v1" in detail


@pytest.mark.django_db
def test_overview_query_count_does_not_grow(world, pw, fw, orgs, make_agreement):
    _compute(world)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert world.manager.client.get(_base(world)).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for i in range(3):
        make_agreement("active", parties=("rsud", "puskesmas"), title=f"Rujukan {i}")
    _compute(world)
    assert count() == one


@pytest.mark.django_db
def test_agreement_page_health_panel_and_run_for_one_agreement(world, pw, fw):
    agreement = pw.program.agreement
    url = f"/t/{world.tenant_a.slug}/kemitraan/{agreement.pk}/"
    assert 'id="pane-kesehatan"' in world.manager.client.get(url).content.decode()
    assert 'id="pane-kesehatan"' not in world.coordinator.client.get(url).content.decode()
    response = world.manager.client.post(_base(world) + f"kemitraan/{agreement.pk}/jalankan/")
    assert response.status_code == 302 and response["Location"].endswith("#kesehatan")
    with scopes_disabled():
        assert HealthReview.unscoped.filter(agreement=agreement).count() == 1
    panel = world.manager.client.get(url).content.decode()
    assert "ms-dimensions" in panel


@pytest.mark.django_db
def test_confirm_form_and_roles(world, pw, fw):
    (review,) = _compute(world)
    url = _base(world) + f"{review.pk}/konfirmasi/"
    other = "healthy" if review.band != "healthy" else "watch"
    assert world.viewer.client.post(url, {"band": other, "note": "x"}).status_code == 403
    missing_note = world.manager.client.post(url, {"band": other, "note": ""})
    assert missing_note.status_code == 400
    refresh(review)
    assert review.override_band == "" and review.confirmed_at is None
    world.manager.client.post(url, {"band": "", "note": "Dibahas pada rapat koordinasi"})
    refresh(review)
    assert review.confirmed_by == world.manager.user and review.override_band == ""
    assert world.coordinator.client.get(_base(world)).status_code == 403
    assert world.coordinator.client.get(_base(world) + f"{review.pk}/").status_code == 403


@pytest.mark.django_db
def test_only_administrators_tune_weights_within_bounds(world):
    url = _base(world) + "bobot/"
    assert world.manager.client.get(url).status_code == 403
    weights = {"D1": "30", "D2": "15", "D3": "20", "D4": "10", "D5": "10", "D6": "5", "D7": "10"}
    assert world.admin.client.post(url, weights).status_code == 302
    refresh(world.tenant_a)
    assert Decimal(world.tenant_a.review_weights["D1"]) == Decimal(30)
    broken = world.admin.client.post(url, {**weights, "D1": "0"})
    assert broken.status_code == 200
    refresh(world.tenant_a)
    assert Decimal(world.tenant_a.review_weights["D1"]) == Decimal(30)


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_read_filter_run_and_confirm(world, pw, fw):
    api = f"/api/v1/t/{world.tenant_a.slug}/"
    run = world.manager.client.post(
        api + "health-reviews/run/", {"agreement": pw.program.agreement_id}, content_type="application/json"
    )
    assert run.status_code == 202 and run.json()["status"] == "done"
    listed = world.viewer.client.get(api + "health-reviews/").json()
    assert listed["count"] == 1
    review = listed["results"][0]
    assert world.viewer.client.get(api + f"health-reviews/?band={review['band']}").json()["count"] == 1
    assert world.coordinator.client.get(api + "health-reviews/").status_code == 403
    override = "healthy" if review["band"] != "healthy" else "watch"
    no_note = world.manager.client.post(
        api + f"health-reviews/{review['id']}/confirm/", {"band": override}, content_type="application/json"
    )
    assert no_note.status_code == 400
    ok = world.manager.client.post(
        api + f"health-reviews/{review['id']}/confirm/",
        {"band": override, "note": "Hasil rapat evaluasi"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["effective_band"] == override
    assert ok.json()["band"] == review["band"]
    weights = world.viewer.client.get(api + "review-weights/").json()["weights"]
    assert set(weights) == {"D1", "D2", "D3", "D4", "D5", "D6", "D7"}
    assert (
        world.manager.client.put(
            api + "review-weights/", {"weights": weights}, content_type="application/json"
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_weekly_digest_lists_bands_and_changes_once_a_week(world, pw, fw, django_capture_on_commit_callbacks):
    from reporting.tasks import health_digest_for_tenant

    with tenant_scope(world.tenant_a):
        HealthReview.objects.create(
            tenant=world.tenant_a, agreement=pw.program.agreement, period="2026-05",
            review_date=datetime.date(2026, 5, 31), method_version="phr-v1", input_hash="0" * 64,
            score=Decimal("80.0"), band="healthy", computed_band="healthy", confidence=Decimal("0.9"),
            computed_at=datetime.datetime(2026, 5, 31, tzinfo=datetime.UTC),
        )  # fmt: skip
    (review,) = _compute(world, today=datetime.date(2026, 6, 12), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        sent = health_digest_for_tenant.apply(args=[world.tenant_a.pk, "2026-06-15"]).get()
    assert sent == 2  # the administrator and the manager
    body = mail.outbox[0].body
    assert review.effective_band == "insufficient"  # stale indicators, no survey: confidence < 0.5
    assert pw.program.agreement.title in body
    assert "Data belum cukup" in body and "sebelumnya Sehat" in body  # the band and the change
    with django_capture_on_commit_callbacks(execute=True):
        again = health_digest_for_tenant.apply(args=[world.tenant_a.pk, "2026-06-17"]).get()
    assert again == 0 and len(mail.outbox) == 2  # same ISO week


@pytest.mark.django_db
def test_api_list_query_count_is_pinned(world, pw, fw, orgs, make_agreement):
    api = f"/api/v1/t/{world.tenant_a.slug}/health-reviews/"
    _compute(world)

    def count():
        cache.clear()  # both requests read the membership (and session) the same way
        with CaptureQueriesContext(connection) as ctx:
            assert world.viewer.client.get(api).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for i in range(3):
        make_agreement("active", parties=("rsud", "puskesmas"), title=f"Rujukan {i}")
    _compute(world)
    assert count() == one <= 8


@pytest.mark.django_db
def test_survey_api_open_answer_once_and_read(world, pw, orgs):
    api = f"/api/v1/t/{world.tenant_a.slug}/survey-rounds/"
    assert (
        world.coordinator.client.post(
            api, {"agreement": pw.program.agreement_id}, content_type="application/json"
        ).status_code
        == 403
    )
    opened = world.manager.client.post(
        api, {"agreement": pw.program.agreement_id, "days": 14}, content_type="application/json"
    )
    assert opened.status_code == 201
    survey_id = opened.json()["id"]
    items = world.coordinator.client.get(api + "items/").json()
    assert len(items) == 13 and items[0]["code"] == "q1"
    answers = {"answers": {f"q{i}": 4 for i in range(1, 14)}, "comment": "Koordinasi sudah baik"}
    first = world.coordinator.client.post(api + f"{survey_id}/answer/", answers, content_type="application/json")
    assert first.status_code == 201
    again = world.coordinator.client.post(api + f"{survey_id}/answer/", answers, content_type="application/json")
    assert again.status_code == 400
    incomplete = {"answers": {"q1": 4}}
    assert (
        world.manager.client.post(api + f"{survey_id}/answer/", incomplete, content_type="application/json").status_code
        == 403
    )
    listed = world.manager.client.get(api + f"{survey_id}/responses/").json()
    assert [r["organization"] for r in listed] == [world.partner_a.pk]
    closed = world.manager.client.post(api + f"{survey_id}/close/")
    assert closed.status_code == 200 and closed.json()["closed_at"]
