from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from organizations.api_base import ScopedPrimaryKeyRelatedField
from organizations.models import Organization, Region

from .models import Agreement, AgreementEvent, Amendment, Document, Obligation, Party
from .services import PartyData


class PartySerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(model=Organization)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_kind = serializers.CharField(source="organization.kind", read_only=True)

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
        read_only_fields = ["id"]
        validators: list = []


class AgreementSerializer(serializers.ModelSerializer):
    """Read shape of an agreement."""

    parties = PartySerializer(many=True, read_only=True)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    predecessor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # null: not a renewal

    class Meta:
        model = Agreement
        fields = [
            "id", "number", "title", "kind", "partnership_type", "status", "objective", "scope", "regions",
            "financing_summary", "reporting_duty", "dispute_settlement", "termination_clause",
            "signed_on", "starts_on", "ends_on", "parties", "predecessor", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Rujukan RSUD–puskesmas",
            value={
                "number": "445/PKS/017/Dinkes/2025",
                "title": "Rujukan berjenjang RSUD dr. Dradjat Prawiranegara dan Puskesmas Ciruas",
                "kind": "pks",
                "partnership_type": "provider_provider",
                "objective": "Mempercepat rujukan pasien dan rujuk balik.",
                "regions": ["36.04.09"],
                "starts_on": "2025-01-01",
                "ends_on": "2026-12-31",
                "parties": [
                    {
                        "organization": 6,
                        "role": "lead",
                        "signatory_name": "dr. Bambang Hermawan",
                        "signatory_position": "Direktur",
                    },
                    {
                        "organization": 2,
                        "role": "implementer",
                        "signatory_name": "dr. Siti Rahmawati",
                        "signatory_position": "Kepala Puskesmas",
                    },
                ],
            },
            request_only=True,
        )
    ]
)
class AgreementWriteSerializer(serializers.ModelSerializer):
    """Write shape: parties replace the agreement's parties; regions by Kemendagri code."""

    parties = PartySerializer(many=True, required=False)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Region.objects.all(), required=False)

    class Meta:
        model = Agreement
        fields = [
            "number", "title", "kind", "partnership_type", "objective", "scope", "regions",
            "financing_summary", "reporting_duty", "dispute_settlement", "termination_clause",
            "signed_on", "starts_on", "ends_on", "parties",
        ]  # fmt: skip
        validators: list = []

    def validate_number(self, value: str) -> str:
        value = value.strip()
        if value and Agreement.objects.filter(number=value).exclude(pk=getattr(self.instance, "pk", None)).exists():
            raise serializers.ValidationError(_("Another agreement already has this number."))
        return value

    def validate(self, attrs: dict) -> dict:
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_on": [_("The end date must not be before the start date.")]})
        if self.instance is None and "parties" not in attrs:
            raise serializers.ValidationError({"parties": [_("An agreement needs at least two parties.")]})
        return attrs

    @staticmethod
    def party_data(validated: dict) -> list[PartyData] | None:
        if "parties" not in validated:
            return None
        return [PartyData(**party) for party in validated.pop("parties")]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Penangguhan",
            value={"reason": "Laporan SITB tidak masuk dua triwulan; menunggu audit Inspektorat."},
            request_only=True,
        )
    ]
)
class ReasonSerializer(serializers.Serializer):
    """Why the step is taken; required for suspend and terminate, kept in the timeline."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ObligationSerializer(serializers.ModelSerializer):
    party = serializers.PrimaryKeyRelatedField(queryset=Party.unscoped.none())
    is_done = serializers.BooleanField(read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(queryset=Document.unscoped.none(), required=False, allow_null=True)

    class Meta:
        model = Obligation
        fields = ["id", "party", "description", "due_on", "done_on", "is_done", "evidence"]
        read_only_fields = ["id", "is_done"]

    def __init__(self, *args, agreement: Agreement | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if agreement is not None:
            # Only this agreement's parties and documents: another agreement's ids are a 400.
            self.fields["party"].queryset = Party.objects.filter(agreement=agreement)
            self.fields["evidence"].queryset = Document.objects.filter(agreement=agreement)


class DocumentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True)
    uploaded_by = serializers.CharField(
        source="uploaded_by.display_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "title",
            "file",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_by", "created_at"]
        extra_kwargs = {"title": {"required": False}}


class AmendmentSerializer(serializers.ModelSerializer):
    new_terms = serializers.DictField(
        write_only=True, required=False, help_text="Terms to change: " + ", ".join(Agreement.AMENDABLE_FIELDS)
    )
    document = serializers.PrimaryKeyRelatedField(queryset=Document.unscoped.none(), required=False, allow_null=True)

    class Meta:
        model = Amendment
        fields = [
            "id",
            "number",
            "signed_on",
            "effective_on",
            "summary",
            "changes",
            "new_terms",
            "document",
            "created_at",
        ]
        read_only_fields = ["id", "number", "changes", "created_at"]

    def __init__(self, *args, agreement: Agreement | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if agreement is not None:
            self.fields["document"].queryset = Document.objects.filter(agreement=agreement)

    def validate_new_terms(self, value: dict) -> dict:
        unknown = set(value) - set(Agreement.AMENDABLE_FIELDS)
        if unknown:
            raise serializers.ValidationError(
                _("These terms cannot be amended: %(names)s.") % {"names": ", ".join(sorted(unknown))}
            )
        if value.get("ends_on"):
            value["ends_on"] = serializers.DateField().to_internal_value(value["ends_on"])
        return value


class AgreementEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = AgreementEvent
        fields = ["id", "action", "actor", "reason", "from_status", "to_status", "created_at"]
        read_only_fields = fields
