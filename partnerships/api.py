"""REST API for agreements, their parties, obligations, amendments, documents and lifecycle."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from organizations.api_base import WHOLE_LIST, IdFilter, TenantAPIMixin
from organizations.permissions import can

from . import documents, selectors, services
from .documents import private_file_response
from .models import Agreement, AgreementRegion, Amendment, Document, Obligation, Party
from .serializers import (
    AgreementEventSerializer,
    AgreementSerializer,
    AgreementWriteSerializer,
    AmendmentSerializer,
    DocumentSerializer,
    ObligationSerializer,
    ReasonSerializer,
)


class AgreementFilter(django_filters.FilterSet):
    # Declared, not generated (generation would query the tenant-scoped manager at import).
    partnership_type = django_filters.ChoiceFilter(choices=Agreement.PartnershipType.choices)
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices)
    organization = IdFilter(method="filter_organization", help_text="Id of a party organization")
    region = django_filters.CharFilter(method="filter_region", help_text="Kemendagri code; includes sub-regions")
    ends_within = django_filters.NumberFilter(
        min_value=0,
        max_value=3660,
        decimal_places=0,
        method="filter_ends_within",
        help_text="Active or suspended, ending within N days",
    )

    class Meta:
        model = Agreement
        fields = ["partnership_type", "status", "kind", "organization", "region", "ends_within"]

    def filter_organization(self, queryset, name, value):
        return queryset.filter(pk__in=Party.objects.filter(organization_id=value).values("agreement_id"))

    def filter_region(self, queryset, name, value):
        links = AgreementRegion.objects.filter(Q(region__code=value) | Q(region__code__startswith=f"{value}."))
        return queryset.filter(pk__in=links.values("agreement_id"))

    def filter_ends_within(self, queryset, name, value):
        return queryset.ending_within(int(value), today=timezone.localdate())


TRANSITION_SERVICES = {
    "propose": services.agreement_propose,
    "activate": services.agreement_activate,
    "suspend": services.agreement_suspend,
    "resume": services.agreement_resume,
    "terminate": services.agreement_terminate,
}


@extend_schema_view(
    list=extend_schema(summary="List agreements (coordinators: only their organization's)"),
    retrieve=extend_schema(summary="Get an agreement with its parties"),
    create=extend_schema(
        summary="Create an agreement in draft", request=AgreementWriteSerializer, responses={201: AgreementSerializer}
    ),
    partial_update=extend_schema(summary="Change a draft or proposed agreement", request=AgreementWriteSerializer),
    update=extend_schema(summary="Replace a draft or proposed agreement", request=AgreementWriteSerializer),
)
class AgreementViewSet(TenantAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    search_fields = ["number", "title"]
    ordering_fields = ["created_at", "ends_on", "title"]
    ordering = ["-created_at"]
    permission_map = {
        "list": "agreement.view",
        "retrieve": "agreement.view",
        "timeline": "agreement.view",
        "create": "agreement.add",
        "update": "agreement.change",
        "partial_update": "agreement.change",
        "renew": "agreement.renew",
        **{name: "agreement.transition" for name in TRANSITION_SERVICES},
    }
    default_permission = "agreement.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Agreement.unscoped.none()
        return selectors.agreement_list(membership=self.request.membership).prefetch_related("regions")

    def check_object_permissions(self, request, obj) -> None:
        # Seeing the agreement comes first: a coordinator of a non-party never gets here
        # (the queryset excludes it), everyone else then needs the action's permission.
        if not can(request.membership, "agreement.view", obj):
            raise NotFound
        super().check_object_permissions(request, obj)

    def _detail(self, agreement: Agreement) -> dict:
        return AgreementSerializer(selectors.agreement_detail(membership=self.request.membership, pk=agreement.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = AgreementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parties = AgreementWriteSerializer.party_data(data)
        agreement = services.agreement_create(tenant=request.tenant, actor=request.user, parties=parties, **data)
        return Response(self._detail(agreement), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        agreement = self.get_object()
        serializer = AgreementWriteSerializer(agreement, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parties = AgreementWriteSerializer.party_data(data)
        services.agreement_update(agreement=agreement, actor=request.user, parties=parties, **data)
        return Response(self._detail(agreement))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _transition(self, request, name: str):
        agreement = self.get_object()  # 404 before the body is read
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = TRANSITION_SERVICES[name](
            agreement=agreement, actor=request.user, reason=serializer.validated_data.get("reason", "")
        )
        return Response(self._detail(agreement))

    @extend_schema(
        request=ReasonSerializer,
        responses=AgreementSerializer,
        summary="draft → proposed (the parties must fit the partnership type)",
    )
    @action(detail=True, methods=["post"])
    def propose(self, request, *args, **kwargs):
        return self._transition(request, "propose")

    @extend_schema(
        request=ReasonSerializer,
        responses=AgreementSerializer,
        summary="proposed → active (needs the signed document and valid dates)",
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, *args, **kwargs):
        return self._transition(request, "activate")

    @extend_schema(
        request=ReasonSerializer, responses=AgreementSerializer, summary="active → suspended (reason required)"
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, *args, **kwargs):
        return self._transition(request, "suspend")

    @extend_schema(request=ReasonSerializer, responses=AgreementSerializer, summary="suspended → active")
    @action(detail=True, methods=["post"])
    def resume(self, request, *args, **kwargs):
        return self._transition(request, "resume")

    @extend_schema(
        request=ReasonSerializer,
        responses=AgreementSerializer,
        summary="active/suspended → terminated (reason required)",
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, *args, **kwargs):
        return self._transition(request, "terminate")

    @extend_schema(
        request=ReasonSerializer,
        responses={201: AgreementSerializer},
        summary="Create the renewal: a linked successor in draft",
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the body is read
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        successor = services.agreement_renew(
            agreement=target, actor=request.user, reason=serializer.validated_data.get("reason", "")
        )
        return Response(self._detail(successor), status=status.HTTP_201_CREATED)

    @extend_schema(responses=AgreementEventSerializer(many=True), summary="The agreement's timeline")
    @action(detail=True, methods=["get"], **WHOLE_LIST)
    def timeline(self, request, *args, **kwargs):
        agreement = self.get_object()
        events = agreement.events.select_related("actor").order_by("-created_at", "-id")
        return Response(AgreementEventSerializer(events, many=True).data)


class AgreementChildMixin(TenantAPIMixin):
    """Base of ``/agreements/{agreement_pk}/<children>/``: the agreement must be visible."""

    pagination_class = None
    filter_backends: list = []

    def check_permissions(self, request) -> None:
        super().check_permissions(request)
        self.agreement()  # 404 for an agreement outside reach, before any body is read

    def check_object_permissions(self, request, obj) -> None:
        # The rules of an agreement's children (who is a party) are asked with the agreement:
        # asked with the amendment, obligation or document itself they broke (found by fuzzing).
        super().check_object_permissions(request, self.agreement())

    def agreement(self) -> Agreement:
        if not hasattr(self, "_agreement"):
            queryset = selectors.agreements_visible_to(self.request.membership).prefetch_related("parties")
            agreement = get_object_or_404(queryset, pk=self.kwargs["agreement_pk"])
            if not can(self.request.membership, "agreement.view", agreement):
                raise NotFound
            if not can(self.request.membership, self.required_permission(), agreement):
                raise PermissionDenied
            self._agreement = agreement
        return self._agreement


class ObligationViewSet(AgreementChildMixin, viewsets.ModelViewSet):
    serializer_class = ObligationSerializer
    permission_map = {"list": "agreement.view", "retrieve": "agreement.view"}
    default_permission = "agreement.obligations"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Obligation.unscoped.none()
        return Obligation.objects.filter(party__agreement=self.agreement()).select_related("party")

    def get_serializer(self, *args, **kwargs):
        if not getattr(self, "swagger_fake_view", False):
            kwargs["agreement"] = self.agreement()
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.obligation_create(
            party=data["party"], actor=self.request.user, description=data["description"], due_on=data.get("due_on")
        )

    def perform_update(self, serializer):
        serializer.instance = services.obligation_update(
            obligation=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.obligation_delete(obligation=instance, actor=self.request.user)


class AmendmentViewSet(
    AgreementChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AmendmentSerializer
    permission_map = {"list": "agreement.view", "retrieve": "agreement.view"}
    default_permission = "agreement.amend"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Amendment.unscoped.none()
        return Amendment.objects.filter(agreement=self.agreement())

    def get_serializer(self, *args, **kwargs):
        if not getattr(self, "swagger_fake_view", False):
            kwargs["agreement"] = self.agreement()
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.amendment_create(
            agreement=self.agreement(),
            actor=self.request.user,
            signed_on=data["signed_on"],
            effective_on=data["effective_on"],
            summary=data["summary"],
            new_terms=data.get("new_terms"),
            document=data.get("document"),
        )


class DocumentViewSet(
    AgreementChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Documents of an agreement. Upload as multipart (`file`, `kind`, `title`)."""

    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    permission_map = {
        "list": "agreement.view",
        "retrieve": "agreement.view",
        "download": "agreement.view",
        "create": "agreement.document_upload",
        "destroy": "agreement.document_delete",
    }
    default_permission = "agreement.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.unscoped.none()
        return Document.objects.filter(agreement=self.agreement()).select_related("uploaded_by")

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not can(self.request.membership, "agreement.change") and data["kind"] not in {
            Document.Kind.MINUTES,
            Document.Kind.EVIDENCE,
        }:
            raise PermissionDenied
        upload = data["file"]
        serializer.instance = documents.document_upload(
            agreement=self.agreement(),
            actor=self.request.user,
            kind=data["kind"],
            title=data.get("title", ""),
            name=upload.name,
            content=upload.read(),
        )

    def perform_destroy(self, instance):
        documents.document_delete(document=instance, actor=self.request.user)

    @extend_schema(
        responses={(200, content_type): OpenApiTypes.BINARY for content_type, _ in documents.ALLOWED_TYPES.values()},
        summary="Download the file (in its own type, one of the types uploads may have)",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        document = self.get_object()
        return private_file_response(
            file=document.file, filename=document.original_name, content_type=document.content_type
        )
