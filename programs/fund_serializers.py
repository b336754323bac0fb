from __future__ import annotations

from rest_framework import serializers

from organizations.api_base import ScopedPrimaryKeyRelatedField
from organizations.models import Organization
from partnerships.models import Agreement

from .models import Disbursement, Fund, FundEvidence, LedgerEntry, Pledge, PledgeInstallment, Program

RUPIAH = {"max_digits": 18, "decimal_places": 0, "coerce_to_string": True}


class FundEvidenceSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True)

    class Meta:
        model = FundEvidence
        fields = ["id", "file", "original_name", "content_type", "size", "created_at"]
        read_only_fields = ["id", "original_name", "content_type", "size", "created_at"]


class FundSerializer(serializers.ModelSerializer):
    agreement = ScopedPrimaryKeyRelatedField(model=Agreement)
    programs = ScopedPrimaryKeyRelatedField(model=Program, many=True, required=False)
    balance = serializers.DecimalField(read_only=True, **RUPIAH)

    class Meta:
        model = Fund
        fields = ["id", "agreement", "name", "programs", "currency", "balance", "created_at"]
        read_only_fields = ["id", "currency", "balance", "created_at"]


class InstallmentSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**RUPIAH)

    class Meta:
        model = PledgeInstallment
        fields = ["due_on", "amount"]


class PledgeSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(model=Organization)
    amount = serializers.DecimalField(**RUPIAH)
    installments = InstallmentSerializer(many=True, required=False)
    received = serializers.DecimalField(read_only=True, **RUPIAH)  # annotated by fund_selectors.pledges_of

    class Meta:
        model = Pledge
        fields = ["id", "organization", "channel", "amount", "installments", "in_kind_description", "note", "received"]
        read_only_fields = ["id", "received"]


class ReceiptSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**RUPIAH)
    occurred_on = serializers.DateField(required=False)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    extra_contribution = serializers.BooleanField(default=False)


class DisbursementSerializer(serializers.ModelSerializer):
    program = ScopedPrimaryKeyRelatedField(model=Program)
    amount = serializers.DecimalField(**RUPIAH)
    evidence = FundEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Disbursement
        fields = [
            "id", "program", "amount", "purpose", "planned_on", "status", "requested_by", "approved_by",
            "admin_approved_by", "paid_on", "payment_reference", "rejection_reason", "rejected_by", "decided_at", "created_at", "evidence",
        ]  # fmt: skip
        read_only_fields = [
            "id", "status", "requested_by", "approved_by", "admin_approved_by", "paid_on", "payment_reference",
            "rejection_reason", "rejected_by", "decided_at", "created_at",
        ]  # fmt: skip


class PaySerializer(serializers.Serializer):
    paid_on = serializers.DateField(required=False)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class FundReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class LedgerEntrySerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**RUPIAH)
    evidence = FundEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "kind",
            "amount",
            "pledge",
            "disbursement",
            "reverses",
            "extra_contribution",
            "occurred_on",
            "reference",
            "note",
            "created_at",
            "evidence",
        ]
        read_only_fields = fields
