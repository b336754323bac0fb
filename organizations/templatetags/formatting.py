"""Indonesian display formats for templates: ``{{ amount|rupiah }}``, ``{{ date|tanggal }}``."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import formats, timezone

register = template.Library()


def format_rupiah(value) -> str:
    """Whole rupiah, PUEBI style: ``Rp1.500.000``; negatives as ``-Rp1.500``; empty for None."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,.0f}".replace(",", ".")
    return f"{sign}Rp{digits}"


@register.filter
def rupiah(value) -> str:
    return format_rupiah(value)


@register.filter
def tanggal(value) -> str:
    """A date as "15 Maret 2025" in Indonesian (or "15 March 2025" in English)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)  # dates kept in JSON (amendment changes)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def tanggal_waktu(value) -> str:
    """A moment as "15 Maret 2025, 14.30" in the active time zone."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")
