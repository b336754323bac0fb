"""REST API for tenants, partner organizations and regions."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import selectors, services, tenancy
from .api_base import LazyApiSchema, TenantAPIMixin
from .models import Contact, Membership, Organization, Region
from .serializers import (
    ContactSerializer,
    MyTenantSerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
    RegionSerializer,
)


class OrganizationFilter(django_filters.FilterSet):
    # Filters are declared, not generated: generation queries the model's default manager at
    # import time, which the fail-closed tenant scope refuses.
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)
    sector = django_filters.ChoiceFilter(choices=Organization.Sector.choices)
    region = django_filters.CharFilter(method="filter_region", help_text="Kemendagri code; includes sub-regions.")
    archived = django_filters.BooleanFilter(field_name="archived_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Organization
        fields = ["kind", "sector", "region", "archived"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(region__code=value) | Q(region__code__startswith=f"{value}."))


@extend_schema_view(
    list=extend_schema(summary="List partner organizations"),
    retrieve=extend_schema(summary="Get a partner organization"),
    create=extend_schema(summary="Create a partner organization", request=OrganizationWriteSerializer),
    partial_update=extend_schema(summary="Change a partner organization", request=OrganizationWriteSerializer),
    update=extend_schema(summary="Replace a partner organization", request=OrganizationWriteSerializer),
    destroy=extend_schema(summary="Delete an unreferenced organization (otherwise 400: archive it)"),
)
class OrganizationViewSet(TenantAPIMixin, viewsets.ModelViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    search_fields = ["name", "email", "contacts__name"]
    ordering_fields = ["name", "created_at", "kind"]
    ordering = ["name"]
    permission_map = {
        "list": "organization.view",
        "retrieve": "organization.view",
        "create": "organization.add",
        "update": "organization.change",
        "partial_update": "organization.change",
        "destroy": "organization.archive",
        "archive": "organization.archive",
        "restore": "organization.archive",
    }
    default_permission = "organization.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organization.unscoped.none()
        return Organization.objects.select_related("region").prefetch_related("contacts").order_by("name")

    def create(self, request, *args, **kwargs):
        serializer = OrganizationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = services.organization_create(
            tenant=request.tenant, actor=request.user, **serializer.validated_data
        )
        return Response(
            OrganizationSerializer(selectors.organization_detail(pk=organization.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def update(self, request, *args, **kwargs):
        organization = self.get_object()
        serializer = OrganizationWriteSerializer(organization, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.organization_update(organization=organization, actor=request.user, **serializer.validated_data)
        return Response(OrganizationSerializer(selectors.organization_detail(pk=organization.pk)).data)

    def destroy(self, request, *args, **kwargs):
        services.organization_delete(organization=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=OrganizationSerializer, summary="Archive an organization")
    @action(detail=True, methods=["post"])
    def archive(self, request, *args, **kwargs):
        organization = services.organization_archive(organization=self.get_object(), actor=request.user)
        return Response(OrganizationSerializer(selectors.organization_detail(pk=organization.pk)).data)

    @extend_schema(request=None, responses=OrganizationSerializer, summary="Restore an archived organization")
    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        organization = services.organization_restore(organization=self.get_object(), actor=request.user)
        return Response(OrganizationSerializer(selectors.organization_detail(pk=organization.pk)).data)


class ContactViewSet(TenantAPIMixin, viewsets.ModelViewSet):
    """Contacts of one organization (``/organizations/{organization_pk}/contacts/``)."""

    serializer_class = ContactSerializer
    pagination_class = None
    filter_backends: list = []
    permission_map = {"list": "organization.view", "retrieve": "organization.view"}
    default_permission = "organization.change"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contact.unscoped.none()
        return Contact.objects.filter(organization_id=self.kwargs["organization_pk"])

    def _organization(self) -> Organization:
        from django.shortcuts import get_object_or_404

        return get_object_or_404(Organization.objects.all(), pk=self.kwargs["organization_pk"])

    def list(self, request, *args, **kwargs):
        self._organization()  # 404 for an organization outside the tenant
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        organization = self._organization()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_create(organization=organization, actor=request.user, **serializer.validated_data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        contact = self.get_object()
        serializer = self.get_serializer(contact, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(contact=contact, actor=request.user, **serializer.validated_data)
        return Response(ContactSerializer(contact).data)

    def destroy(self, request, *args, **kwargs):
        services.contact_delete(contact=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyTenantsView(ListAPIView):
    """The tenants the authenticated user belongs to, with the user's role in each."""

    serializer_class = MyTenantSerializer
    permission_classes = [IsAuthenticated]
    schema = LazyApiSchema()
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        # A token caller is only known here, after DRF's authentication (not to the middleware).
        with tenancy.user_identity(self.request.user.pk):
            return list(selectors.memberships_of_user(user=self.request.user))


class RegionListView(ListAPIView):
    """Kemendagri regions: ``?q=`` searches by name prefix or code prefix; ``?parent=`` lists children."""

    serializer_class = RegionSerializer
    permission_classes = [IsAuthenticated]
    schema = LazyApiSchema()
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name or code prefix (at least 2 characters)"),
            OpenApiParameter("parent", str, description="Code of the parent region"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        if params.get("q"):
            codes = [r.code for r in selectors.region_search(query=params["q"], limit=100)]
            return Region.objects.filter(code__in=codes).order_by("level", "search_name")
        if params.get("parent"):
            return Region.objects.filter(parent__code=params["parent"]).order_by("code")
        return Region.objects.filter(level=Region.Level.PROVINSI).order_by("code")
