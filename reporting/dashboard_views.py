"""The tenant's home page: the dashboard for staff and viewers ("what needs me today?"), the
coordinator's home for partner coordinators; and the dashboard's figures as an API for BI tools."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.api_base import TenantAPIMixin
from organizations.models import Role
from partnerships.models import Agreement

from .dashboard import PERIODS, Dashboard, Filters, dashboard
from .models import Band

PERIOD_LABELS = {
    "this_quarter": gettext_lazy("This quarter"),
    "last_quarter": gettext_lazy("Last quarter"),
    "this_year": gettext_lazy("This year"),
    "last_12_months": gettext_lazy("Last 12 months"),
}


def _filters(params) -> Filters:
    period = params.get("period") or "this_quarter"
    partnership_type = params.get("type") or ""
    return Filters(
        period=period if period in PERIODS else "this_quarter",
        partnership_type=partnership_type if partnership_type in Agreement.PartnershipType.values else "",
        region=(params.get("region") or "")[:20],
    )


def home(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    if request.membership.role == Role.COORDINATOR:
        return coordinator_home(request, tenant_slug)
    filters = _filters(request.GET)

    def url(name: str, **kwargs) -> str:
        return reverse(name, kwargs={"tenant_slug": tenant_slug, **kwargs})

    data = dashboard(tenant=request.tenant, filters=filters, urls=url)
    from organizations.models import Region

    context = {
        "d": data,
        "filters": filters,
        "periods": list(PERIOD_LABELS.items()),
        "types": Agreement.PartnershipType.choices,
        "filter_region": Region.objects.filter(code=filters.region).first() if filters.region else None,
        "charts": _charts(data),
    }
    return render(request, "reporting/dashboard.html", context)


def _charts(data: Dashboard) -> dict:
    statuses = [Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED, Agreement.Status.PROPOSED, Agreement.Status.DRAFT]
    types = [t for t in Agreement.PartnershipType.values if t in data.agreements_by_type]
    return {
        "types": {
            "labels": [str(Agreement.PartnershipType(t).label) for t in types],
            "series": [
                {
                    "label": str(Agreement.Status(s).label),
                    "data": [data.agreements_by_type.get(t, {}).get(s, 0) for t in types],
                }
                for s in statuses
            ],
        },
        "bands": {
            "labels": [str(Band(b).label) for b in data.bands],
            "codes": list(data.bands),
            "data": list(data.bands.values()),
        },
        "funds": {
            "labels": [_("Pledged"), _("Received"), _("Disbursed"), _("Balance")],
            "data": [int(data.funds[k]) for k in ("pledged", "received", "disbursed", "balance")],
        },
    }


def coordinator_home(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """A partner coordinator's page: their organization's agreements and programs, reports due
    and returned, their pending money requests and open surveys."""
    from programs.models import Disbursement, Program
    from programs.selectors import report_tasks

    from .models import SurveyRound

    organization = request.membership.organization
    today = timezone.localdate()
    agreements = (
        Agreement.objects.filter(
            parties__organization=organization,
            status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED, Agreement.Status.PROPOSED],
        )
        .distinct()
        .order_by("ends_on", "title")
    )
    programs = (
        Program.objects.filter(implementers=organization, status__in=[Program.Status.ACTIVE, Program.Status.PLANNED])
        .select_related("agreement")
        .order_by("name")
    )
    tasks = report_tasks(organization_id=organization.pk, today=today) if organization else []
    # The organization's pending requests (whoever of its coordinators asked), not yet decided or paid.
    requests = (
        Disbursement.objects.filter(
            program__implementers=organization,
            status__in=[Disbursement.Status.REQUESTED, Disbursement.Status.APPROVED],
        )
        .select_related("program", "fund")
        .distinct()
        .order_by("planned_on")[:10]
    )
    surveys = list(
        SurveyRound.objects.filter(
            agreement__parties__organization=organization, closed_at__isnull=True, opens_on__lte=today,
            closes_on__gte=today,
        )
        .exclude(responses__organization=organization)
        .select_related("agreement")
        .distinct()
    )  # fmt: skip
    context = {
        "organization": organization,
        "agreements": agreements,
        "programs": programs,
        "due": [t for t in tasks if t.state != "returned"][:10],
        "returned": [t for t in tasks if t.state == "returned"],
        "requests": requests,
        "surveys": surveys,
        "today": today,
    }
    return render(request, "reporting/coordinator_home.html", context)


# --- the aggregates API ------------------------------------------------------------------------

PERIOD_PARAM = OpenApiParameter("period", str, enum=list(PERIODS), description="Default this_quarter")
TYPE_PARAM = OpenApiParameter("type", str, enum=list(Agreement.PartnershipType.values))
REGION_PARAM = OpenApiParameter("region", str, description="Kemendagri code; its subtree is included")


class AttentionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.DictField()
    url = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    agreements = serializers.DictField(child=serializers.IntegerField())
    agreements_by_type = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    programs = serializers.DictField(child=serializers.IntegerField())
    reporting = serializers.DictField()
    funds = serializers.DictField(child=serializers.DecimalField(max_digits=20, decimal_places=0))
    bands = serializers.DictField(child=serializers.IntegerField())
    band_changes = serializers.DictField(child=serializers.IntegerField())
    attention = AttentionSerializer(many=True)
    by_kecamatan = serializers.ListField(child=serializers.DictField())


class DashboardView(TenantAPIMixin, APIView):
    """The dashboard's figures for BI tools: the same set-based numbers as the page."""

    permission_map = {"get": "dashboard.view"}
    default_permission = "dashboard.view"

    @extend_schema(responses=DashboardSerializer, parameters=[PERIOD_PARAM, TYPE_PARAM, REGION_PARAM],
                   summary="Dashboard figures (agreements, programs, reporting, funds, health, attention)")  # fmt: skip
    def get(self, request, tenant_slug: str):
        def url(name: str, **kwargs) -> str:
            return reverse(name, kwargs={"tenant_slug": tenant_slug, **kwargs})

        data = dashboard(tenant=request.tenant, filters=_filters(request.query_params), urls=url)
        payload = DashboardSerializer(data).data
        for item in payload["attention"]:
            item["detail"] = {k: str(v) for k, v in item["detail"].items()}
        payload["reporting"] = {k: (str(v) if v is not None else None) for k, v in payload["reporting"].items()}
        return Response(payload)
