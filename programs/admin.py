from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, Milestone, Program, ProgressUpdate, ReportingPeriod


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tenant", "theme", "status", "starts_on", "ends_on"]
    list_filter = ["tenant", "theme", "status"]
    search_fields = ["name"]
    raw_id_fields = ["agreement"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "program", "kind", "target", "frequency"]
    search_fields = ["code", "name"]
    raw_id_fields = ["program"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["program", "frequency", "year", "number", "due_on", "locks_on"]
    raw_id_fields = ["program"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "organization", "status", "value", "numerator", "denominator"]
    list_filter = ["status"]
    raw_id_fields = ["indicator", "period", "organization"]
    readonly_fields = ["status", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "review_note"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "program", "due_on", "done_on"]
    raw_id_fields = ["program"]
