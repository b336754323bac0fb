from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, AgreementEvent, Amendment, Document, Obligation, Party


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    exclude = ["tenant"]
    raw_id_fields = ["organization"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "number", "tenant", "partnership_type", "status", "ends_on"]
    list_filter = ["tenant", "partnership_type", "status"]
    search_fields = ["title", "number"]
    inlines = [PartyInline]
    readonly_fields = ["status", "predecessor"]


@admin.register(Obligation)
class ObligationAdmin(SimpleHistoryAdmin):
    list_display = ["description", "party", "due_on", "done_on"]
    raw_id_fields = ["party", "evidence"]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["agreement", "number", "signed_on", "effective_on"]
    raw_id_fields = ["agreement", "document"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "agreement", "kind", "size", "created_at"]
    raw_id_fields = ["agreement"]
    readonly_fields = ["file", "storage_name", "sha256", "content_type", "size"]


@admin.register(AgreementEvent)
class AgreementEventAdmin(admin.ModelAdmin):
    list_display = ["agreement", "action", "actor", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["agreement"]
