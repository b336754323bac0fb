"""REST API for shared funds. Money-moving POSTs accept an ``Idempotency-Key`` header."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from organizations.api_base import TenantAPIMixin
from organizations.idempotency import idempotent
from organizations.models import Role

from . import fund_services as funds
from .fund_selectors import funds_visible_to, pledges_of, programs_requestable
from .fund_serializers import (
    DisbursementSerializer,
    FundEvidenceSerializer,
    FundReasonSerializer,
    FundSerializer,
    LedgerEntrySerializer,
    PaySerializer,
    PledgeSerializer,
    ReceiptSerializer,
)
from .models import Disbursement, Fund, LedgerEntry, Pledge

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Replays return the first response; the same key with a different body gets 422.",
)  # fmt: skip


class FundViewSet(
    TenantAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = FundSerializer
    filter_backends: list = []
    permission_map = {"list": "fund.view", "retrieve": "fund.view", "ledger": "fund.view", "create": "fund.change"}
    default_permission = "fund.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Fund.unscoped.none()
        return funds_visible_to(self.request.membership).prefetch_related("programs").order_by("name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = funds.fund_create(
            tenant=self.request.tenant,
            agreement=data["agreement"],
            actor=self.request.user,
            name=data["name"],
            programs=data.get("programs", []),
        )

    @extend_schema(responses=LedgerEntrySerializer(many=True), summary="The fund's ledger, oldest first")
    @action(detail=True, methods=["get"], filter_backends=[])  # paged, but the funds' filters are not its
    def ledger(self, request, *args, **kwargs):
        entries = self.get_object().ledger.prefetch_related("evidence").order_by("id")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(LedgerEntrySerializer(page, many=True).data)


class FundChildMixin(TenantAPIMixin):
    filter_backends: list = []

    def check_permissions(self, request) -> None:
        super().check_permissions(request)
        self.fund()  # 404 before the body is read

    def fund(self) -> Fund:
        if not hasattr(self, "_fund"):
            self._fund = get_object_or_404(funds_visible_to(self.request.membership), pk=self.kwargs["fund_pk"])
        return self._fund


class PledgeViewSet(
    FundChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = PledgeSerializer
    permission_map = {"list": "fund.view", "retrieve": "fund.view", "create": "fund.change", "receipts": "fund.receipt"}
    default_permission = "fund.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Pledge.unscoped.none()
        return pledges_of(self.fund()).prefetch_related("installments").order_by("id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        installments = [(i["due_on"], i["amount"]) for i in data.pop("installments", [])]
        pledge = funds.pledge_create(fund=self.fund(), actor=self.request.user, installments=installments, **data)
        serializer.instance = self.get_queryset().get(pk=pledge.pk)  # with what was received (nothing yet)

    @extend_schema(
        request=ReceiptSerializer,
        responses={201: LedgerEntrySerializer},
        parameters=[IDEMPOTENCY],
        summary="Record money received against the pledge",
    )
    @action(detail=True, methods=["post"])
    def receipts(self, request, *args, **kwargs):
        pledge = self.get_object()
        serializer = ReceiptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def compute(ledger_key):
            entry = funds.receipt_record(
                pledge=pledge, actor=request.user, idempotency_key=ledger_key, **serializer.validated_data
            )
            return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

        return idempotent(request, compute)


class DisbursementViewSet(
    FundChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = DisbursementSerializer
    permission_map = {
        "list": "fund.view", "retrieve": "fund.view", "create": "fund.request",
        "approve": "fund.approve", "reject": "fund.approve", "pay": "fund.pay", "evidence": "fund.request",
    }  # fmt: skip
    default_permission = "fund.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Disbursement.unscoped.none()
        return Disbursement.objects.filter(fund=self.fund()).prefetch_related("evidence").order_by("-created_at", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        membership = self.request.membership
        if not programs_requestable(membership=membership, fund=self.fund()).filter(pk=data["program"].pk).exists():
            if membership.role == Role.COORDINATOR:
                raise PermissionDenied
            raise ValidationError({"program": [funds.PROGRAM_NOT_IN_FUND]})
        serializer.instance = funds.disbursement_request(fund=self.fund(), actor=self.request.user, **data)

    @extend_schema(
        request=None,
        responses=DisbursementSerializer,
        summary="Approve (not the requester; above the threshold also an administrator)",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        disbursement = funds.disbursement_approve(
            disbursement=self.get_object(), actor=request.user, role=request.membership.role
        )
        return Response(DisbursementSerializer(disbursement).data)

    @extend_schema(request=FundReasonSerializer, responses=DisbursementSerializer, summary="Reject with a reason")
    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        target = self.get_object()
        serializer = FundReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        disbursement = funds.disbursement_reject(
            disbursement=target, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(DisbursementSerializer(disbursement).data)

    @extend_schema(
        request=PaySerializer,
        responses={201: LedgerEntrySerializer},
        parameters=[IDEMPOTENCY],
        summary="Pay an approved disbursement",
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, *args, **kwargs):
        target = self.get_object()
        serializer = PaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def compute(ledger_key):
            entry = funds.disbursement_pay(
                disbursement=target, actor=request.user, idempotency_key=ledger_key, **serializer.validated_data
            )
            return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

        return idempotent(request, compute)

    @extend_schema(
        request={"multipart/form-data": FundEvidenceSerializer},
        responses={201: FundEvidenceSerializer},
        summary="Attach a supporting file (PDF, image, DOCX, XLSX; checked by content)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, *args, **kwargs):
        target = self.get_object()
        if request.membership.role == Role.COORDINATOR and target.requested_by_id != request.user.pk:
            raise PermissionDenied  # a coordinator adds files to their own requests only
        return _attach(request, fund=self.fund(), disbursement=target)


def _attach(request, **subject) -> Response:
    serializer = FundEvidenceSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    upload = serializer.validated_data["file"]
    evidence = funds.fund_evidence_upload(actor=request.user, name=upload.name, content=upload.read(), **subject)
    return Response(FundEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class LedgerEntryViewSet(FundChildMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LedgerEntrySerializer
    permission_map = {"retrieve": "fund.view", "reverse": "fund.reverse", "evidence": "fund.receipt"}
    default_permission = "fund.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LedgerEntry.unscoped.none()
        return LedgerEntry.objects.filter(fund=self.fund()).prefetch_related("evidence")

    @extend_schema(
        request=FundReasonSerializer,
        responses={201: LedgerEntrySerializer},
        parameters=[IDEMPOTENCY],
        summary="Correct an entry with a reversal",
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, *args, **kwargs):
        target = self.get_object()
        serializer = FundReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def compute(_ledger_key):
            entry = funds.ledger_reverse(entry=target, actor=request.user, reason=serializer.validated_data["reason"])
            return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

        return idempotent(request, compute)

    @extend_schema(
        request={"multipart/form-data": FundEvidenceSerializer},
        responses={201: FundEvidenceSerializer},
        summary="Attach proof to a receipt (transfer slip, BAST of in-kind goods)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, *args, **kwargs):
        return _attach(request, fund=self.fund(), entry=self.get_object())
