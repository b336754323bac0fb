"""Rupiah and date display helpers for later pages."""

import datetime
from decimal import Decimal

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from organizations.templatetags.formatting import format_rupiah, tanggal, tanggal_waktu


def test_rupiah_is_puebi_style():
    assert format_rupiah(Decimal("1500000")) == "Rp1.500.000"
    assert format_rupiah(0) == "Rp0"
    assert format_rupiah(Decimal("-25000")) == "-Rp25.000"
    assert format_rupiah(None) == ""
    assert format_rupiah("bukan angka") == ""


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_round_trips_every_whole_amount(amount):
    text = format_rupiah(Decimal(amount))
    digits = text.replace("-", "").removeprefix("Rp").replace(".", "")
    assert int(digits) * (-1 if amount < 0 else 1) == amount
    assert "," not in text


def test_dates_in_indonesian_and_english():
    day = datetime.date(2025, 3, 15)
    with translation.override("id"):
        assert tanggal(day) == "15 Maret 2025"
    with translation.override("en"):
        assert tanggal(day) == "15 March 2025"


def test_moments_are_shown_in_jakarta_time():
    moment = datetime.datetime(2025, 3, 15, 7, 30, tzinfo=datetime.UTC)
    with translation.override("id"):
        assert tanggal_waktu(moment) == "15 Maret 2025, 14.30"
