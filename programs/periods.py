"""Reporting calendars: months and quarters of a January–December fiscal year."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator

from .models import Frequency


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def calendar_periods(
    frequency: str, starts_on: datetime.date, ends_on: datetime.date
) -> Iterator[tuple[int, int, datetime.date, datetime.date]]:
    """(year, number, first day, last day) of every month or quarter touching the span."""
    step = 3 if frequency == Frequency.QUARTERLY else 1
    year, month = starts_on.year, starts_on.month
    month = month - (month - 1) % step  # back to the quarter's first month
    while datetime.date(year, month, 1) <= ends_on:
        last_month = month + step - 1
        number = (month - 1) // 3 + 1 if step == 3 else month
        yield year, number, datetime.date(year, month, 1), _month_end(year, last_month)
        month += step
        if month > 12:
            year, month = year + 1, month - 12
