"""Platform admin for protocols (platform staff only; school staff never get is_staff).

Status changes go through `protocols/workflow.py`, so the admin shows them and never edits
them: the procedure steps of versions and their votes are read-only here. The procedure
template of a stichting is edited here until the portal has a page for it.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from protocols.models import (
    Acknowledgement,
    GeledingVote,
    ProcedureRecord,
    ProcedureStep,
    ProcedureStepDefinition,
    ProposalDocument,
    Protocol,
    ProtocolVersion,
    Question,
    ReadingLink,
    Section,
    StoredPdf,
)
from schools.admin import (
    LinkedSchoolFilter,
    LinkedStichtingFilter,
    filtering_column,
    linked_filter,
)
from schools.models import Stichting

# A national platform has about a thousand stichtingen and 6,000 schools: a list is narrowed to
# one by a link on a row's stichting or school, never by a sidebar that names them all.


class ReadOnlyMixin:
    """What the workflow wrote is shown, never changed by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Protocol)
class ProtocolAdmin(SimpleHistoryAdmin):
    list_display = ["title", "of_stichting", "school", "created_at"]
    list_filter = [LinkedStichtingFilter]
    of_stichting = filtering_column("stichting", "stichting", _("stichting"))
    search_fields = ["title"]
    filter_horizontal = ["applies_to"]
    list_select_related = ["stichting", "school"]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "heading", "audience", "school", "body"]


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(SimpleHistoryAdmin):
    list_display = ["protocol", "of_stichting", "number", "status", "adopted_on", "effective_date"]
    list_filter = ["status", linked_filter("protocol__stichting", Stichting, _("stichting"))]
    search_fields = ["protocol__title"]
    list_select_related = ["protocol__stichting"]
    of_stichting = filtering_column("protocol__stichting", "protocol.stichting", _("stichting"))
    readonly_fields = [
        "status",
        "submitted_at",
        "submitted_by",
        "adopted_on",
        "effective_date",
        "evaluation_date",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["protocol", "based_on", "created_by"]
    inlines = [SectionInline]


@admin.register(ProcedureRecord)
class ProcedureRecordAdmin(admin.ModelAdmin):
    list_display = ["version", "position", "step", "outcome", "date"]
    list_select_related = ["version__protocol"]
    raw_id_fields = ["version"]


class PrivateFileAdmin(admin.ModelAdmin):
    """The stored file is shown by name only: private files have no URL (schools/files.py).

    The portal's own pages add them, after their checks.
    """

    exclude = ["file"]

    @admin.display(description=_("stored as"))
    def stored_as(self, obj):
        return obj.file.name

    def has_add_permission(self, request):
        return False


@admin.register(StoredPdf)
class StoredPdfAdmin(PrivateFileAdmin):
    list_display = ["version", "school", "rendered_at"]
    list_select_related = ["version__protocol", "school"]
    raw_id_fields = ["version"]
    readonly_fields = ["stored_as", "rendered_at"]


@admin.register(ProcedureStepDefinition)
class ProcedureStepDefinitionAdmin(admin.ModelAdmin):
    list_display = ["of_stichting", "position", "name", "kind", "body", "term_days"]
    list_display_links = ["name"]
    list_filter = [LinkedStichtingFilter]
    of_stichting = filtering_column("stichting", "stichting", _("stichting"))
    list_select_related = ["stichting"]
    ordering = ["stichting", "position"]


class GeledingVoteInline(ReadOnlyMixin, admin.TabularInline):
    model = GeledingVote
    extra = 0
    fields = ["geleding", "members", "present", "votes_for", "votes_against", "abstentions"]
    readonly_fields = fields + ["granted"]


@admin.register(ProcedureStep)
class ProcedureStepAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["version", "position", "name", "status", "outcome", "due_on", "decided_on"]
    list_filter = ["status", "kind"]
    list_select_related = ["version__protocol"]
    inlines = [GeledingVoteInline]


@admin.register(GeledingVote)
class GeledingVoteAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["step", "geleding", "present", "votes_for", "votes_against", "granted"]
    list_select_related = ["step__version__protocol"]


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ["version", "asked_by", "asked_at", "answered_at"]
    list_select_related = ["version__protocol", "asked_by"]
    raw_id_fields = ["version", "section", "asked_by", "answered_by"]


@admin.register(ReadingLink)
class ReadingLinkAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "version", "expires_at"]
    list_select_related = ["version__protocol"]
    raw_id_fields = ["version", "created_by"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["user", "version", "of_school", "requested_at", "confirmed_at"]
    list_filter = [LinkedSchoolFilter]
    of_school = filtering_column("school", "school", _("school"))
    list_select_related = ["user", "version__protocol", "school"]
    raw_id_fields = ["version", "user"]


@admin.register(ProposalDocument)
class ProposalDocumentAdmin(PrivateFileAdmin):
    list_display = ["title", "version", "uploaded_by", "uploaded_at"]
    list_select_related = ["version__protocol", "uploaded_by"]
    readonly_fields = ["stored_as", "uploaded_by", "uploaded_at"]
