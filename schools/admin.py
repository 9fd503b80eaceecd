"""Platform admin (staff of the platform only; school staff never get is_staff)."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from schools.models import (
    ClassGroup,
    Council,
    CouncilMember,
    Guardian,
    Membership,
    Pupil,
    School,
    SignInEvent,
    Staff,
    Stichting,
    User,
)


class LinkedFilter(admin.SimpleListFilter):
    """Filter by a related row (a school, stichting or council) without listing them all.

    A national platform has 6,000 schools and about 1,000 stichtingen: a sidebar listing them
    made every page of the list cost more as the platform grew. The related row's own admin
    links here with it chosen (`links_to`); the filter then names that one, with "All" to go
    back. `parameter_name` is the lookup, `related_model` what it points to.
    """

    related_model: type

    def _chosen(self) -> str | None:
        value = self.value()
        return value if value and value.isdigit() and len(value) < 12 else None

    def lookups(self, request, model_admin):
        chosen = self._chosen()
        found = self.related_model._default_manager.filter(pk=chosen).first() if chosen else None
        return [(str(found.pk), str(found))] if found else []

    def queryset(self, request, queryset):
        chosen = self._chosen()
        return queryset.filter(**{self.parameter_name: chosen}) if chosen else queryset


def linked_filter(lookup: str, related_model, title) -> type[LinkedFilter]:
    """A LinkedFilter on `lookup` (a field, or a path such as "school__stichting") to rows of
    `related_model`."""
    attributes = {"parameter_name": lookup, "related_model": related_model, "title": title}
    return type(f"Linked{related_model.__name__}Filter", (LinkedFilter,), attributes)


LinkedSchoolFilter = linked_filter("school", School, _("school"))
LinkedStichtingFilter = linked_filter("stichting", Stichting, _("stichting"))
LinkedCouncilFilter = linked_filter("council", Council, _("council"))


def filtering_column(lookup: str, path: str, description):
    """A list_display column showing the related row at `path` (dotted, as loaded by
    list_select_related) as a link that filters the list on it through `linked_filter(lookup,
    ...)`: how a list of a national platform is narrowed to one stichting or school."""

    @admin.display(description=description, ordering=path.replace(".", "__"))
    def column(model_admin, obj):
        related = obj
        for name in path.split("."):
            related = getattr(related, name)
            if related is None:
                return model_admin.get_empty_value_display()
        return format_html('<a href="?{}={}">{}</a>', lookup, related.pk, related)

    return column


def links_to(obj, lookup: str, *changelists: tuple[str, str]):
    """Links to the admin lists `changelists` ((url name, label), ...) filtered on `obj`
    through their LinkedFilter on `lookup`, separated by a middle dot."""
    return format_html_join(
        " · ",
        '<a href="{}?{}={}">{}</a>',
        ((reverse(name), lookup, obj.pk, label) for name, label in changelists),
    )


class ListAtScale:
    """For the admin lists of people, which hold hundreds of thousands of rows nationally.

    Never counts them all per page, and writes each row's action checkbox directly: Django
    renders it through a form widget's template, which was a third of the list's CPU.
    """

    # Counting 30,000 pupils (or 250,000 staff) on every page is a scan of the table.
    show_full_result_count = False

    def action_checkbox(self, obj):
        # The same markup as Django's CheckboxInput (tests compare the two).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )


@admin.register(User)
class UserAdmin(ListAtScale, SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    # By the start of each word, so PostgreSQL answers from an index (migration 0008).
    search_fields = ["^email", "^first_name", "^last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0
    fields = ["name", "slug", "brin", "sector", "city"]


@admin.register(Stichting)
class StichtingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "parts"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SchoolInline]

    @admin.display(description=_("schools and people"))
    def parts(self, stichting):
        return links_to(
            stichting,
            "stichting",
            ("admin:schools_school_changelist", _("schools")),
            ("admin:schools_membership_changelist", _("roles")),
            ("admin:schools_council_changelist", _("councils")),
        )


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "stichting", "brin", "sector", "people"]
    list_filter = ["sector", LinkedStichtingFilter]
    search_fields = ["name", "brin"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["stichting"]

    @admin.display(description=_("people"))
    def people(self, school):
        return links_to(
            school,
            "school",
            ("admin:schools_pupil_changelist", _("pupils")),
            ("admin:schools_staff_changelist", _("staff")),
            ("admin:schools_classgroup_changelist", _("groups")),
        )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "stichting", "school"]
    list_filter = ["role", LinkedStichtingFilter]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "stichting", "school"]


@admin.register(ClassGroup)
class ClassGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "school_year"]
    list_filter = ["school_year", LinkedSchoolFilter]
    search_fields = ["name"]
    list_select_related = ["school"]


class GuardianInline(admin.TabularInline):
    model = Guardian
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Pupil)
class PupilAdmin(ListAtScale, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "school", "group", "birth_date", "leave_date"]
    list_filter = [LinkedSchoolFilter]
    # By the start of each word, so PostgreSQL answers from an index (migration 0008).
    search_fields = ["^last_name", "^first_name"]
    autocomplete_fields = ["user"]
    # 30,000 pupils: paged through an index for the ordering (Meta.indexes).
    list_select_related = ["school", "group"]
    inlines = [GuardianInline]


@admin.register(Guardian)
class GuardianAdmin(ListAtScale, SimpleHistoryAdmin):
    list_display = ["user", "pupil", "relation", "has_gezag"]
    list_filter = ["relation", "has_gezag"]
    search_fields = ["user__email", "pupil__last_name"]
    autocomplete_fields = ["user", "pupil"]
    list_select_related = ["user", "pupil"]


@admin.register(Staff)
class StaffAdmin(ListAtScale, SimpleHistoryAdmin):
    list_display = ["user", "school", "function", "start_date", "end_date"]
    list_filter = [LinkedSchoolFilter]
    search_fields = ["user__email", "user__last_name", "function"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["groups"]
    list_select_related = ["user", "school"]


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "stichting", "school", "members"]
    list_filter = ["kind", LinkedStichtingFilter]
    search_fields = ["name"]
    list_select_related = ["stichting", "school"]
    inlines = [CouncilMemberInline]

    @admin.display(description=_("members"))
    def members(self, council):
        return links_to(
            council, "council", ("admin:schools_councilmember_changelist", _("members"))
        )


@admin.register(CouncilMember)
class CouncilMemberAdmin(SimpleHistoryAdmin):
    list_display = ["user", "council", "geleding", "start_date", "end_date"]
    list_filter = ["geleding", LinkedCouncilFilter]
    autocomplete_fields = ["user", "council"]
    list_select_related = ["user", "council"]


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """The sign-in log (IBP SM.04): read only, so it is evidence."""

    list_display = ["occurred_at", "email", "outcome", "ip_address"]
    list_filter = ["outcome", "occurred_at"]
    search_fields = ["email", "ip_address"]
    date_hierarchy = "occurred_at"
    readonly_fields = [f.name for f in SignInEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """What platform admins changed in /beheer/ (Django logs every admin action)."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message", "user__email"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
