"""The agreement list's floor: the same rows and fields as the shipped API list, served by a
bare DRF view with no authentication, permission, tenant resolution or filter backends. Only
the harness routes to it (``bench/urls.py``); it is never part of ``config.urls``."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from partnerships.models import Agreement, Party
from partnerships.serializers import AgreementSerializer


class FloorPartySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name")
    organization_kind = serializers.CharField(source="organization.kind")

    class Meta:
        model = Party
        fields = [
            "id",
            "organization",
            "organization_name",
            "organization_kind",
            "role",
            "signatory_name",
            "signatory_position",
        ]


class FloorAgreementSerializer(serializers.ModelSerializer):
    parties = FloorPartySerializer(many=True)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = AgreementSerializer.Meta.fields


class FloorPagination(PageNumberPagination):
    page_size = 20


class FloorAgreementList(generics.ListAPIView):
    """``GET /bench/floor/agreements/?tenant=<id>``: one tenant's agreements, newest first."""

    serializer_class = FloorAgreementSerializer
    pagination_class = FloorPagination
    authentication_classes: list = []
    permission_classes = [AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        tenant_id = self.request.query_params.get("tenant", "")
        if not tenant_id.isdigit():
            raise ValidationError({"tenant": "a tenant id is required"})
        parties = Party.unscoped.select_related("organization").order_by("id")
        return (
            Agreement.unscoped.filter(tenant_id=int(tenant_id))
            .prefetch_related(Prefetch("parties", queryset=parties), "regions")
            .order_by("-created_at", "-id")
        )
