"""Platform staff only. Case files are read-only here: changes go through the workflow."""

from django.contrib import admin

from incidents.models import Category, DeletionLog, Incident, ReadLog, RetentionPolicy


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "stichting", "is_image_abuse", "is_sexual_misconduct", "is_active"]
    list_filter = ["stichting", "is_image_abuse", "is_sexual_misconduct", "is_active"]
    search_fields = ["name", "code"]


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["stichting", "anonymise_after_months", "delete_after_months"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    # No names or descriptions in the list: the admin is not a way round the access rules.
    list_display = ["pk", "school", "status", "created_at", "to_board", "legal_hold"]
    list_filter = ["status", "to_board", "legal_hold", "school__stichting"]
    fields = ["school", "status", "created_at", "closed_at", "to_board", "legal_hold"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AppendOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReadLog)
class ReadLogAdmin(AppendOnlyAdmin):
    list_display = ["incident", "user", "at"]


@admin.register(DeletionLog)
class DeletionLogAdmin(AppendOnlyAdmin):
    list_display = ["day", "stichting", "action", "what", "count", "files", "rule"]
    list_filter = ["action", "stichting"]
