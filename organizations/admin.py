from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import Contact, Invitation, Membership, Organization, OutboxJob, Region, Tenant, User


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "review_frequency"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["region"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "groups", "user_permissions"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "tenant", "role", "organization"]
    list_filter = ["role", "tenant"]
    raw_id_fields = ["user", "organization"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    exclude = ["tenant"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tenant", "kind", "sector", "archived_at"]
    list_filter = ["tenant", "kind", "sector"]
    search_fields = ["name"]
    raw_id_fields = ["region"]
    inlines = [ContactInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "tenant", "role", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["tenant", "role"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level"]
    list_filter = ["level"]
    search_fields = ["code", "search_name"]
    raw_id_fields = ["parent"]


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    """What waits for the broker, what it lost and what the sweeper gave up on (organizations.outbox).
    Clearing a row's "gave up at" and attempts lets the sweeper try it again."""

    list_display = ["id", "task", "tenant", "attempts", "created_at", "last_sent_at", "done_at", "gave_up_at"]
    list_filter = ["task", ("done_at", admin.EmptyFieldListFilter), ("gave_up_at", admin.EmptyFieldListFilter)]
    search_fields = ["task", "last_error"]
    readonly_fields = ["task", "args", "last_sent_at", "done_at", "last_error", "created_at"]
    list_select_related = ["tenant"]
