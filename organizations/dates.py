"""Local dates and times (the tenant's day is Asia/Jakarta's)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def local_day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of ``day`` in local time: bounds for timestamp ranges that an index can serve
    (rather than ``__date`` lookups, which it cannot)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
