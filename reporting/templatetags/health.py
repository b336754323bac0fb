"""Health-review display helpers: ``{% load health %}``."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from reporting.models import Band

register = template.Library()

DIMENSIONS = {
    "D1": _("Results"),
    "D2": _("Delivery"),
    "D3": _("Shared fund"),
    "D4": _("Reporting and data"),
    "D5": _("Partner engagement"),
    "D6": _("Agreement and governance"),
    "D7": _("Relationship (survey)"),
}
BAND_CLASS = {
    Band.HEALTHY: "success",
    Band.WATCH: "warning",
    Band.AT_RISK: "danger",
    Band.INSUFFICIENT: "secondary",
    Band.EARLY: "info",
}


def _reason(data):
    from reporting.services import _reason_from_json

    return _reason_from_json(data) if isinstance(data, dict) else data


@register.filter
def reason_text(data) -> str:
    from reporting.reasons import render

    return render(_reason(data))


@register.filter
def reason_action(data) -> str:
    from reporting.reasons import render_action

    return render_action(_reason(data))


@register.filter
def band_label(band: str) -> str:
    try:
        return Band(band).label
    except ValueError:
        return band


@register.filter
def band_class(band: str) -> str:
    return BAND_CLASS.get(band, "secondary")


@register.filter
def dimension_name(code: str) -> str:
    return DIMENSIONS.get(code, code)


@register.simple_tag
def dimension_rows(review) -> list[dict]:
    """(code, name, score or None, weight) for the dimension bars, in method order."""
    rows = []
    for code in DIMENSIONS:
        value = (review.dimensions or {}).get(code)
        rows.append(
            {
                "code": code,
                "name": DIMENSIONS[code],
                "score": None if value in (None, "") else float(value),
                "weight": (review.weights or {}).get(code),
            }
        )
    return rows


@register.filter
def checklist_text(key: str) -> str:
    from reporting import reasons

    catalogue = getattr(reasons, "CHECKLIST", {}) or {}
    text = catalogue.get(key) or reasons.MESSAGES.get(key)
    return str(text) if text else key
