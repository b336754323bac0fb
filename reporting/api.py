"""REST API for health reviews: read and filter, run (tenant or one agreement), confirm or
override, and the tenant's weights."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.api_base import WHOLE_LIST, IdFilter, ScopedPrimaryKeyRelatedField, TenantAPIMixin
from organizations.models import Role
from partnerships.models import Agreement

from . import services, surveys
from .health_inputs import reviewable_agreements
from .models import Band, HealthReview, ReviewRun, SurveyResponse, SurveyRound


class HealthReviewSerializer(serializers.ModelSerializer):
    effective_band = serializers.CharField(read_only=True)
    # Declared: a read-only model field loses allow_blank ("" = no override), and so would its schema.
    override_band = serializers.ChoiceField(choices=Band.choices, read_only=True, allow_blank=True)
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
    agreement = IdFilter(field_name="agreement_id")
    band = django_filters.ChoiceFilter(choices=Band.choices)
    period = django_filters.CharFilter()
    score_below = django_filters.NumberFilter(field_name="score", lookup_expr="lt", min_value=0, max_value=1000)

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


# --- partner surveys ---------------------------------------------------------------------------


class SurveyItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    construct = serializers.CharField()
    text = serializers.CharField()


class SurveyResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyResponse
        fields = ["id", "organization", "answers", "comment", "respondent_name", "submitted_at"]
        read_only_fields = ["id", "organization", "respondent_name", "submitted_at"]


class SurveyRoundSerializer(serializers.ModelSerializer):
    agreement = ScopedPrimaryKeyRelatedField(model=Agreement)
    days = serializers.IntegerField(write_only=True, min_value=3, max_value=90, default=surveys.DEFAULT_DAYS)
    responses = serializers.IntegerField(source="responses.count", read_only=True)

    class Meta:
        model = SurveyRound
        fields = ["id", "agreement", "opens_on", "closes_on", "closed_at", "days", "responses"]
        read_only_fields = ["id", "opens_on", "closes_on", "closed_at", "responses"]


class SurveyAnswerSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=5))
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class SurveyRoundViewSet(
    TenantAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Survey rounds: managers open and close them; coordinators see their agreements' rounds
    and answer once for their organization; the 13 items are listed at ``items/``."""

    serializer_class = SurveyRoundSerializer
    filter_backends: list = []
    permission_map = {
        "list": "survey.view", "retrieve": "survey.view", "create": "survey.manage", "close": "survey.manage",
        "responses": "survey.view", "answer": "survey.view", "items": "survey.view",
    }  # fmt: skip
    # answering is for coordinators, checked once the round is found (another tenant's: 404 first)
    object_permission_map = {"answer": "survey.answer"}
    default_permission = "survey.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SurveyRound.unscoped.none()
        qs = SurveyRound.objects.select_related("agreement").order_by("-opens_on", "-id")
        membership = self.request.membership
        if membership.role == Role.COORDINATOR:
            qs = qs.filter(agreement__parties__organization_id=membership.organization_id).distinct()
        return qs

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = surveys.round_open(
            agreement=data["agreement"], actor=self.request.user, days=data["days"]
        )

    @extend_schema(request=None, responses=SurveyRoundSerializer, summary="Close the round now (links stop working)")
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        survey = surveys.round_close(survey=self.get_object(), actor=request.user)
        return Response(SurveyRoundSerializer(survey).data)

    @extend_schema(
        responses=SurveyResponseSerializer(many=True), summary="The answers (staff: all; coordinators: their own)"
    )
    @action(detail=True, methods=["get"], **WHOLE_LIST)
    def responses(self, request, *args, **kwargs):
        qs = SurveyResponse.objects.filter(round=self.get_object()).order_by("organization_id")
        if request.membership.role == Role.COORDINATOR:
            qs = qs.filter(organization_id=request.membership.organization_id)
        return Response(SurveyResponseSerializer(qs, many=True).data)

    @extend_schema(
        request=SurveyAnswerSerializer, responses={201: SurveyResponseSerializer},
        summary="Answer for your organization (coordinators; once per organization)",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        survey = self.get_object()
        serializer = SurveyAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = surveys.response_submit(
            survey=survey, organization=request.membership.organization, user=request.user,
            answers=serializer.validated_data["answers"], comment=serializer.validated_data["comment"],
        )  # fmt: skip
        return Response(SurveyResponseSerializer(response).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=SurveyItemSerializer(many=True), summary="The 13 statements (in the request's language)")
    @action(detail=False, methods=["get"], **WHOLE_LIST)
    def items(self, request, *args, **kwargs):
        rows = [{"code": code, "construct": construct, "text": str(text)} for code, construct, text in surveys.ITEMS]
        return Response(SurveyItemSerializer(rows, many=True).data)
