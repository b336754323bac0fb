"""Access helpers for programs and progress updates."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from organizations.access import require

from . import selectors
from .models import Indicator, Milestone, Program, ProgressUpdate, ReportingPeriod


def get_program_for_user(request: HttpRequest, pk: int, permission: str = "program.view") -> Program:
    require(request, permission)
    try:
        return selectors.program_detail(membership=request.membership, pk=pk)
    except Program.DoesNotExist as exc:
        raise Http404 from exc


def get_indicator_for_user(request: HttpRequest, program: Program, pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.filter(program=program), pk=pk)


def get_period_for_user(request: HttpRequest, program: Program, pk: int) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.filter(program=program), pk=pk)


def get_milestone_for_user(request: HttpRequest, program: Program, pk: int) -> Milestone:
    return get_object_or_404(Milestone.objects.filter(program=program), pk=pk)


def get_update_for_user(request: HttpRequest, pk: int, permission: str) -> ProgressUpdate:
    update = get_object_or_404(
        selectors.updates_visible_to(request.membership).select_related("indicator", "period", "organization"), pk=pk
    )
    require(request, permission, update)
    return update
