"""Platform staff only. Case files are read-only here: changes go through the workflow."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.models import Category, DeletionLog, Incident, ReadLog, RetentionPolicy
from schools.admin import (
    LinkedStichtingFilter,
    filtering_column,
    linked_filter,
)
from schools.models import Stichting

# A national platform has about a thousand stichtingen: a list is narrowed to one by a link on
# a row's stichting, never by a sidebar that names them all.


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "of_stichting", "is_image_abuse", "is_sexual_misconduct", "is_active"]
    list_filter = [LinkedStichtingFilter, "is_image_abuse", "is_sexual_misconduct", "is_active"]
    list_select_related = ["stichting"]
    search_fields = ["name", "code"]
    of_stichting = filtering_column("stichting", "stichting", _("stichting"))


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["stichting", "anonymise_after_months", "delete_after_months"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    # No names or descriptions in the list: the admin is not a way round the access rules.
    list_display = [
        "pk",
        "school",
        "of_stichting",
        "status",
        "created_at",
        "to_board",
        "legal_hold",
    ]
    list_filter = [
        "status",
        "to_board",
        "legal_hold",
        linked_filter("school__stichting", Stichting, _("stichting")),
    ]
    list_select_related = ["school__stichting"]
    of_stichting = filtering_column("school__stichting", "school.stichting", _("stichting"))
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
    list_display = ["day", "of_stichting", "action", "what", "count", "files", "rule"]
    list_filter = ["action", LinkedStichtingFilter]
    list_select_related = ["stichting"]
    of_stichting = filtering_column("stichting", "stichting", _("stichting"))
