"""Every validation rule of a progress update, with hypothesis for the numeric ones."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.errors import ApplicationError
from organizations.tenancy import tenant_scope
from programs import errors, services

TODAY = datetime.date(2026, 6, 5)
amounts = st.decimals(
    min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=2, allow_nan=False, allow_infinity=False
)


def _save(world, pw, indicator, number=5, **values):
    with tenant_scope(world.tenant_a):
        return services.progress_update_save(
            indicator=indicator, period=pw.period(indicator, 2026, number if indicator.frequency == "monthly" else 2),
            organization=world.partner_a, actor=None, today=TODAY, **values,
        )  # fmt: skip


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@pytest.mark.django_db
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(value=amounts)
def test_counts_accept_exactly_the_non_negative_values(world, pw, value):
    if value < 0:
        with pytest.raises(ValidationError) as caught:
            _save(world, pw, pw.cases, value=value)
        assert _messages(caught.value) == [str(errors.NEGATIVE_VALUE)]
    else:
        assert _save(world, pw, pw.cases, value=value).value == value


@pytest.mark.django_db
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(value=amounts)
def test_percentages_stay_within_0_and_100(world, pw, value):
    if 0 <= value <= 100:
        assert _save(world, pw, pw.coverage, value=value).value == value
    else:
        with pytest.raises(ValidationError):
            _save(world, pw, pw.coverage, value=value)


@pytest.mark.django_db
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(numerator=amounts, denominator=amounts)
def test_ratios_need_numerator_at_most_denominator(world, pw, numerator, denominator):
    valid = 0 <= numerator <= denominator and denominator > 0
    if valid:
        update = _save(world, pw, pw.ratio, numerator=numerator, denominator=denominator)
        assert Decimal(0) <= update.effective_value <= Decimal(100)
    else:
        with pytest.raises(ValidationError):
            _save(world, pw, pw.ratio, numerator=numerator, denominator=denominator)


@pytest.mark.django_db
def test_messages_are_clear_and_indonesian(world, pw):
    from django.utils import translation

    with translation.override("id"), pytest.raises(ValidationError) as caught:
        _save(world, pw, pw.ratio, numerator=Decimal(12), denominator=Decimal(10))
    assert _messages(caught.value) == ["Pembilang tidak boleh lebih besar dari penyebut."]


@pytest.mark.django_db
def test_a_cumulative_value_going_down_needs_an_explanation(world, pw):
    april = _save(world, pw, pw.cases, number=4, value=Decimal(120))
    with tenant_scope(world.tenant_a):
        services.progress_update_submit(update=april, actor=world.coordinator.user, today=TODAY)
        services.progress_update_approve(update=april, actor=world.manager.user)
    with pytest.raises(ValidationError) as caught:
        _save(world, pw, pw.cases, number=5, value=Decimal(100))
    assert "explanation" in caught.value.message_dict
    assert "120" in caught.value.message_dict["explanation"][0]
    fixed = _save(world, pw, pw.cases, number=5, value=Decimal(100), explanation="Koreksi data ganda di Desa Cigelam")
    assert fixed.value == Decimal(100)
    assert _save(world, pw, pw.cases, number=6, value=Decimal(150)).value == Decimal(150)  # going up needs nothing


@pytest.mark.django_db
def test_no_update_into_a_locked_period_until_it_is_reopened(world, pw):
    with tenant_scope(world.tenant_a):
        january = pw.period(pw.cases, 2026, 1)  # due 10 Feb, locked after 12 Mar
        with pytest.raises(ApplicationError) as caught:
            services.progress_update_save(
                indicator=pw.cases,
                period=january,
                organization=world.partner_a,
                actor=None,
                value=Decimal(5),
                today=TODAY,
            )
        assert caught.value.code == "period_locked"
        services.period_reopen(
            period=january,
            organization=world.partner_a,
            actor=world.manager.user,
            reason="Data kader terlambat karena banjir",
            until=datetime.date(2026, 6, 30),
        )
        update = services.progress_update_save(
            indicator=pw.cases, period=january, organization=world.partner_a, actor=None, value=Decimal(5), today=TODAY
        )
        services.progress_update_submit(update=update, actor=None, today=TODAY)
        # Reopened for this organization only.

        other = pw.program.implementers.exclude(pk=world.partner_a.pk).get()
        with pytest.raises(ApplicationError):
            services.progress_update_save(
                indicator=pw.cases, period=january, organization=other, actor=None, value=Decimal(5), today=TODAY
            )
        assert january.reopenings.get().reason == "Data kader terlambat karena banjir"


@pytest.mark.django_db
def test_reopening_needs_a_reason(world, pw):
    with tenant_scope(world.tenant_a), pytest.raises(ValidationError):
        services.period_reopen(
            period=pw.period(pw.cases, 2026, 1), organization=world.partner_a, actor=None, reason="", until=TODAY
        )


@pytest.mark.django_db
def test_manager_reopens_a_locked_period_from_the_page(world, pw):
    with tenant_scope(world.tenant_a):
        january = pw.period(pw.cases, 2026, 1)
    url = f"/t/{world.tenant_a.slug}/program/{pw.program.pk}/lapor/{january.pk}/buka-kembali/"
    data = {"organization": world.partner_a.pk, "until": "2026-06-30", "reason": "Data kader terlambat karena banjir"}
    assert world.coordinator.client.post(url, data).status_code == 403
    assert world.manager.client.post(url, {**data, "reason": ""}).status_code == 302
    with tenant_scope(world.tenant_a):
        assert not january.reopenings.exists()  # no reason, nothing recorded
    assert world.manager.client.post(url, data).status_code == 302
    with tenant_scope(world.tenant_a):
        reopening = january.reopenings.select_related("organization").get()
    assert (reopening.organization, reopening.reopened_by, reopening.until) == (
        world.partner_a,
        world.manager.user,
        datetime.date(2026, 6, 30),
    )
