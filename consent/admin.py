"""Admin for platform staff: purposes and policies are editable; the ledgers are read-only."""

from django.contrib import admin

from consent.models import (
    ActivityAnswer,
    ActivityRequest,
    ConsentEvent,
    ConsentPolicy,
    DeletionLog,
    Purpose,
    PurposeVersion,
    TakedownTask,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: shown, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PurposeVersionInline(admin.TabularInline):
    model = PurposeVersion
    extra = 0
    fields = ["number", "material", "text", "created_at", "created_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # a new text goes through ledger.change_purpose_text

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Purpose)
class PurposeAdmin(admin.ModelAdmin):
    list_display = ["name", "stichting", "school", "kind", "channel", "audience", "active"]
    list_filter = ["kind", "channel", "audience", "active"]
    search_fields = ["name", "slug"]
    inlines = [PurposeVersionInline]


@admin.register(ConsentPolicy)
class ConsentPolicyAdmin(admin.ModelAdmin):
    list_display = ["stichting", "retention_years", "review_month", "review_day", "ask_again_at_16"]


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "pupil", "staff", "purpose", "choice", "capacity", "channel"]
    list_filter = ["channel", "capacity", "choice"]
    list_select_related = ["pupil", "staff__user", "purpose"]
    date_hierarchy = "created_at"


@admin.register(ActivityAnswer)
class ActivityAnswerAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "request", "pupil", "choice", "capacity", "channel"]
    list_select_related = ["request", "pupil"]


@admin.register(ActivityRequest)
class ActivityRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "deadline"]
    filter_horizontal = ["groups", "pupils"]


@admin.register(TakedownTask)
class TakedownTaskAdmin(admin.ModelAdmin):
    list_display = ["purpose", "school", "due_on", "done_at"]
    readonly_fields = ["event"]


@admin.register(DeletionLog)
class DeletionLogAdmin(ReadOnlyAdmin):
    list_display = ["deleted_at", "stichting", "rule", "record", "count"]
