"""REST API for health reviews: read and filter, run (tenant or one agreement), confirm or
override, and the tenant's weights."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.api_base import ScopedPrimaryKeyRelatedField, TenantAPIMixin
from partnerships.models import Agreement

from . import services
from .health_inputs import reviewable_agreements
from .models import Band, HealthReview, ReviewRun


class HealthReviewSerializer(serializers.ModelSerializer):
    effective_band = serializers.CharField(read_only=True)
    score = serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True, coerce_to_string=True)
    confidence = serializers.DecimalField(max_digits=3, decimal_places=2, read_only=True, coerce_to_string=True)

    class Meta:
        model = HealthReview
        fields = [
            "id", "agreement", "period", "review_date", "method_version", "weights", "score", "band",
            "computed_band", "effective_band", "confidence", "dimensions", "flags", "reasons", "checklist",
            "input_hash", "computed_at", "confirmed_by", "confirmed_at", "override_band", "review_note",
        ]  # fmt: skip
        read_only_fields = fields


class ConfirmSerializer(serializers.Serializer):
    band = serializers.ChoiceField(choices=[("", "as computed"), *Band.choices], required=False, default="")
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class RunRequestSerializer(serializers.Serializer):
    agreement = ScopedPrimaryKeyRelatedField(model=Agreement, required=False, allow_null=True)


class ReviewRunSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReviewRun
        fields = ["id", "period", "status", "total", "done", "percent", "created_at", "finished_at", "error"]
        read_only_fields = fields


class HealthReviewFilter(django_filters.FilterSet):
    agreement = django_filters.NumberFilter(field_name="agreement_id")
    band = django_filters.ChoiceFilter(choices=Band.choices)
    period = django_filters.CharFilter()
    score_below = django_filters.NumberFilter(field_name="score", lookup_expr="lt")

    class Meta:
        model = HealthReview
        fields = ["agreement", "band", "period", "score_below"]


class HealthReviewViewSet(TenantAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = HealthReviewSerializer
    filterset_class = HealthReviewFilter
    permission_map = {
        "list": "review.view",
        "retrieve": "review.view",
        "confirm": "review.confirm",
        "run": "review.run",
    }
    default_permission = "review.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HealthReview.unscoped.none()
        return HealthReview.objects.order_by("-review_date", "agreement_id", "pk")

    @extend_schema(
        request=ConfirmSerializer, responses=HealthReviewSerializer, summary="Confirm or override (note required)"
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        review = self.get_object()
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_confirm(review=review, actor=request.user, **serializer.validated_data)
        return Response(HealthReviewSerializer(review).data)

    @extend_schema(
        request=RunRequestSerializer,
        responses={202: ReviewRunSerializer},
        summary="Run now: the whole tenant (in the background) or one agreement (at once)",
    )
    @action(detail=False, methods=["post"])
    def run(self, request, *args, **kwargs):
        serializer = RunRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = serializer.validated_data.get("agreement")
        if agreement is not None and not reviewable_agreements([agreement.pk]).exists():
            raise serializers.ValidationError({"agreement": ["Only active partnerships are reviewed."]})
        run = services.review_run_start(
            tenant=request.tenant, actor=request.user, agreement_ids=[agreement.pk] if agreement else None
        )
        return Response(ReviewRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class ReviewRunViewSet(TenantAPIMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReviewRunSerializer
    permission_map = {"retrieve": "review.view"}
    default_permission = "review.view"
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewRun.unscoped.none()
        return ReviewRun.objects.all()


class WeightsSerializer(serializers.Serializer):
    weights = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=True)
    )


class ReviewWeightsView(TenantAPIMixin, APIView):
    permission_map = {"get": "review.view", "put": "review.weights"}
    default_permission = "review.weights"

    @extend_schema(responses=WeightsSerializer, summary="The dimension weights in force")
    def get(self, request, tenant_slug: str):
        return Response(WeightsSerializer({"weights": services.tenant_weights(request.tenant)}).data)

    @extend_schema(request=WeightsSerializer, responses=WeightsSerializer, summary="Set weights (administrators)")
    def put(self, request, tenant_slug: str):
        serializer = WeightsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.weights_update(tenant=request.tenant, actor=request.user, weights=serializer.validated_data["weights"])
        return Response(WeightsSerializer({"weights": services.tenant_weights(request.tenant)}).data)
