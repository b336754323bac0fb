"""REST API for programs, indicators, periods, progress updates and milestones."""

from __future__ import annotations

from types import SimpleNamespace

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from organizations.api_base import WHOLE_LIST, IdFilter, TenantAPIMixin
from organizations.permissions import can

from . import selectors, services
from .models import Frequency, Indicator, Milestone, Program, ProgressUpdate, ReportingPeriod
from .serializers import (
    AchievementSerializer,
    EvidenceSerializer,
    IndicatorSerializer,
    MilestoneSerializer,
    ProgramSerializer,
    ProgressUpdateSerializer,
    ReopenSerializer,
    ReportingPeriodSerializer,
    ReturnSerializer,
    SpmSerializer,
    TargetRevisionSerializer,
)

VIEW_ONLY = {"list": "program.view", "retrieve": "program.view"}


class ProgramFilter(django_filters.FilterSet):
    agreement = IdFilter(field_name="agreement_id")
    theme = django_filters.ChoiceFilter(choices=Program.Theme.choices)
    status = django_filters.ChoiceFilter(choices=Program.Status.choices)

    class Meta:
        model = Program
        fields = ["agreement", "theme", "status"]


class ProgramViewSet(
    TenantAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter
    search_fields = ["name"]
    ordering_fields = ["name", "starts_on"]
    permission_map = {**VIEW_ONLY, "achievement": "program.view", "create": "program.add", "add_spm": "program.change"}
    default_permission = "program.change"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Program.unscoped.none()
        return selectors.program_list(membership=self.request.membership).prefetch_related("regions")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.program_create(
            tenant=self.request.tenant,
            agreement=data.pop("agreement"),
            actor=self.request.user,
            implementers=data.pop("implementers"),
            regions=data.pop("regions", []),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("agreement", None)
        serializer.instance = services.program_update(
            program=serializer.instance,
            actor=self.request.user,
            implementers=data.pop("implementers", None),
            regions=data.pop("regions", None),
            **data,
        )

    @extend_schema(
        responses=AchievementSerializer(many=True), summary="Achievement per indicator (approved updates only)"
    )
    @action(detail=True, methods=["get"], **WHOLE_LIST)
    def achievement(self, request, *args, **kwargs):
        return Response(AchievementSerializer(selectors.achievements(program=self.get_object()), many=True).data)

    @extend_schema(
        request=SpmSerializer, responses={201: IndicatorSerializer(many=True)}, summary="Add SPM services as indicators"
    )
    @action(detail=True, methods=["post"], url_path="add-spm", **WHOLE_LIST)
    def add_spm(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the body is read
        serializer = SpmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.indicators_add_spm(program=target, actor=request.user, **serializer.validated_data)
        return Response(IndicatorSerializer(created, many=True).data, status=status.HTTP_201_CREATED)


class IndicatorFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)

    class Meta:
        model = Indicator
        fields = ["program", "frequency"]


class IndicatorViewSet(
    TenantAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    permission_map = {**VIEW_ONLY, "target_revisions": "program.view"}
    default_permission = "program.change"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Indicator.unscoped.none()
        return Indicator.objects.filter(program__in=selectors.programs_visible_to(self.request.membership)).order_by(
            "program_id", "code"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.indicator_create(program=data.pop("program"), actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("program", None)
        serializer.instance = services.indicator_update(indicator=serializer.instance, actor=self.request.user, **data)

    @extend_schema(
        request=TargetRevisionSerializer,
        responses={201: TargetRevisionSerializer},
        summary="Revise the target, with a reason",
    )
    @action(detail=True, methods=["post"], url_path="revise-target")
    def revise_target(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the body is read
        serializer = TargetRevisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revision = services.indicator_revise_target(indicator=target, actor=request.user, **serializer.validated_data)
        return Response(TargetRevisionSerializer(revision).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TargetRevisionSerializer(many=True), summary="The target's revisions, newest first")
    @action(detail=True, methods=["get"], url_path="target-revisions", **WHOLE_LIST)
    def target_revisions(self, request, *args, **kwargs):
        revisions = self.get_object().target_revisions.select_related("revised_by")
        return Response(TargetRevisionSerializer(revisions, many=True).data)


class PeriodFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    year = django_filters.NumberFilter(min_value=2000, max_value=2100, decimal_places=0)

    class Meta:
        model = ReportingPeriod
        fields = ["program", "frequency", "year"]


class ReportingPeriodViewSet(TenantAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportingPeriodSerializer
    filterset_class = PeriodFilter
    permission_map = {**VIEW_ONLY, "reopen": "period.reopen"}
    default_permission = "program.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReportingPeriod.unscoped.none()
        return ReportingPeriod.objects.filter(
            program__in=selectors.programs_visible_to(self.request.membership)
        ).order_by("program_id", "starts_on", "frequency")

    @extend_schema(
        request=ReopenSerializer,
        responses={201: ReopenSerializer},
        summary="Reopen a locked period for one organization",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        period = self.get_object()
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reopening = services.period_reopen(period=period, actor=request.user, **serializer.validated_data)
        return Response(ReopenSerializer(reopening).data, status=status.HTTP_201_CREATED)


class UpdateFilter(django_filters.FilterSet):
    program = IdFilter(field_name="indicator__program_id")
    period = IdFilter(field_name="period_id")
    status = django_filters.ChoiceFilter(choices=ProgressUpdate.Status.choices)
    organization = IdFilter(field_name="organization_id")

    class Meta:
        model = ProgressUpdate
        fields = ["program", "period", "status", "organization"]


class ProgressUpdateViewSet(
    TenantAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress updates. Coordinators read and write only their own organization's updates."""

    serializer_class = ProgressUpdateSerializer
    filterset_class = UpdateFilter
    permission_map = {
        "list": "progress.view",
        "retrieve": "progress.view",
        "create": "progress.edit",
        "update": "progress.edit",
        "partial_update": "progress.edit",
        "submit": "progress.edit",
        "approve": "progress.review",
        "return_": "progress.review",
        "evidence": "progress.edit",
    }
    default_permission = "progress.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgressUpdate.unscoped.none()
        return selectors.update_list(membership=self.request.membership)

    def _save(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        organization = data.pop("organization", None) or (
            instance.organization if instance else self.request.membership.organization
        )
        if organization is None or not can(
            self.request.membership, "progress.edit", SimpleNamespace(organization_id=organization.pk)
        ):
            raise PermissionDenied
        indicator = data.pop("indicator", None) or instance.indicator
        period = data.pop("period", None) or instance.period
        current = (
            {f: getattr(instance, f) for f in ("value", "numerator", "denominator", "narrative", "explanation")}
            if instance
            else {}
        )
        serializer.instance = services.progress_update_save(
            indicator=indicator,
            period=period,
            organization=organization,
            actor=self.request.user,
            **{**current, **data},
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, instance=serializer.instance)

    @extend_schema(
        request={"multipart/form-data": EvidenceSerializer},
        responses={201: EvidenceSerializer},
        summary="Attach evidence (PDF, image, DOCX, XLSX; checked by content)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, *args, **kwargs):
        update = self.get_object()
        serializer = EvidenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        evidence = services.evidence_upload(
            program=update.indicator.program, actor=request.user, update=update, name=upload.name, content=upload.read()
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ProgressUpdateSerializer, summary="draft/returned → submitted")
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        update = services.progress_update_submit(update=self.get_object(), actor=request.user)
        return Response(ProgressUpdateSerializer(update).data)

    @extend_schema(
        request=None, responses=ProgressUpdateSerializer, summary="submitted → approved (not by the submitter)"
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        update = services.progress_update_approve(update=self.get_object(), actor=request.user)
        return Response(ProgressUpdateSerializer(update).data)

    @extend_schema(
        request=ReturnSerializer, responses=ProgressUpdateSerializer, summary="submitted → returned with a note"
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, *args, **kwargs):
        target = self.get_object()  # 404 before the body is read
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = services.progress_update_return(
            update=target, actor=request.user, note=serializer.validated_data["note"]
        )
        return Response(ProgressUpdateSerializer(update).data)


class MilestoneFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")

    class Meta:
        model = Milestone
        fields = ["program"]


class MilestoneViewSet(TenantAPIMixin, viewsets.ModelViewSet):
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    permission_map = VIEW_ONLY
    default_permission = "program.change"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Milestone.unscoped.none()
        return Milestone.objects.filter(program__in=selectors.programs_visible_to(self.request.membership)).order_by(
            "due_on", "id"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("done_on", None)
        serializer.instance = services.milestone_create(program=data.pop("program"), actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("program", None)
        serializer.instance = services.milestone_update(milestone=serializer.instance, actor=self.request.user, **data)
