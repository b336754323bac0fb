from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.api_base import ScopedPrimaryKeyRelatedField
from organizations.models import Organization, Region
from partnerships.models import Agreement

from .models import (
    Evidence,
    Frequency,
    Indicator,
    Milestone,
    PeriodReopening,
    Program,
    ProgressUpdate,
    ReportingPeriod,
    TargetRevision,
)
from .spm import SPM_BY_NUMBER


class ProgramSerializer(serializers.ModelSerializer):
    agreement = ScopedPrimaryKeyRelatedField(model=Agreement)
    implementers = ScopedPrimaryKeyRelatedField(model=Organization, many=True)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Region.objects.all(), required=False)

    class Meta:
        model = Program
        fields = [
            "id",
            "agreement",
            "name",
            "theme",
            "description",
            "regions",
            "implementers",
            "starts_on",
            "ends_on",
            "status",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs: dict) -> dict:
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_on": [_("The end date must not be before the start date.")]})
        if self.instance is not None and "agreement" in attrs and attrs["agreement"] != self.instance.agreement:
            raise serializers.ValidationError({"agreement": [_("A program cannot move to another agreement.")]})
        return attrs


class IndicatorSerializer(serializers.ModelSerializer):
    program = ScopedPrimaryKeyRelatedField(model=Program)

    class Meta:
        model = Indicator
        fields = [
            "id", "program", "code", "name", "definition", "unit", "kind", "baseline", "target", "direction",
            "cumulative", "frequency", "priority", "data_source", "verification", "spm_service",
        ]  # fmt: skip
        read_only_fields = ["id", "spm_service"]
        validators: list = []

    def validate(self, attrs: dict) -> dict:
        if self.instance is not None and "target" in attrs and attrs["target"] != self.instance.target:
            raise serializers.ValidationError(
                {"target": [_("Change the target with the revise_target action, giving a reason.")]}
            )
        program = attrs.get("program", getattr(self.instance, "program", None))
        code = attrs.get("code")
        if (
            program
            and code
            and Indicator.objects.filter(program=program, code=code)
            .exclude(pk=getattr(self.instance, "pk", None))
            .exists()
        ):
            raise serializers.ValidationError({"code": [_("Another indicator of this program has this code.")]})
        return attrs


class SpmSerializer(serializers.Serializer):
    services = serializers.ListField(child=serializers.ChoiceField(choices=sorted(SPM_BY_NUMBER)), min_length=1)
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.MONTHLY)


class TargetRevisionSerializer(serializers.ModelSerializer):
    revised_by = serializers.CharField(source="revised_by.display_name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = TargetRevision
        fields = ["id", "old_target", "new_target", "reason", "revised_by", "created_at"]
        read_only_fields = ["id", "old_target", "revised_by", "created_at"]


class ReportingPeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "program", "frequency", "year", "number", "label", "starts_on", "ends_on", "due_on", "locks_on"]
        read_only_fields = fields


class ReopenSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(model=Organization)

    class Meta:
        model = PeriodReopening
        fields = ["id", "organization", "until", "reason", "created_at"]
        read_only_fields = ["id", "created_at"]


class EvidenceSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "file", "original_name", "content_type", "size", "created_at"]
        read_only_fields = ["id", "original_name", "content_type", "size", "created_at"]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    indicator = ScopedPrimaryKeyRelatedField(model=Indicator)
    period = ScopedPrimaryKeyRelatedField(model=ReportingPeriod)
    organization = ScopedPrimaryKeyRelatedField(model=Organization, required=False)
    effective_value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id", "indicator", "period", "organization", "value", "numerator", "denominator", "effective_value",
            "narrative", "explanation", "status", "resubmitted", "submitted_at", "reviewed_at", "review_note", "evidence",
        ]  # fmt: skip
        read_only_fields = [
            "id", "status", "resubmitted", "submitted_at", "reviewed_at", "review_note", "effective_value", "evidence",
        ]  # fmt: skip
        validators: list = []


class ReturnSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True)


class MilestoneSerializer(serializers.ModelSerializer):
    program = ScopedPrimaryKeyRelatedField(model=Program)

    class Meta:
        model = Milestone
        fields = ["id", "program", "title", "due_on", "done_on", "note"]
        read_only_fields = ["id"]


class AchievementSerializer(serializers.Serializer):
    indicator = IndicatorSerializer()
    achieved = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    percent_of_target = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
