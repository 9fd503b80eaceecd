from django.urls import path

from protocols.views import council, procedure, record, versions

app_name = "protocols"

VERSION = "protocollen/versies/<int:pk>/"
STEP = f"{VERSION}stappen/<int:step_pk>/"

urlpatterns = [
    # Public, without login: the adopted protocol of a school (linked from the schoolgids).
    path("protocol/", versions.public_index, name="public_index"),
    path("protocol/<slug:slug>/", versions.public_school, name="public_school"),
    path("protocol/<slug:slug>/pdf/", versions.public_pdf, name="public_pdf"),
    path("protocol/<slug:slug>/versie/<int:pk>/", versions.public_school, name="public_version"),
    path(
        "protocol/<slug:slug>/versie/<int:pk>/pdf/",
        versions.public_pdf,
        name="public_version_pdf",
    ),
    # Versions and editing.
    path("protocollen/", versions.protocol_list, name="protocol_list"),
    path("protocollen/importeren/", versions.protocol_import, name="protocol_import"),
    path("protocollen/voorbeeld/", versions.section_preview, name="section_preview"),
    path(f"{VERSION}bewerken/", versions.version_edit, name="version_edit"),
    path(
        f"{VERSION}aanvulling/<slug:slug>/",
        versions.version_edit,
        name="version_addendum_edit",
    ),
    path(f"{VERSION}nieuw-concept/", versions.version_new_draft, name="version_new_draft"),
    path(f"{VERSION}weggooien/", versions.version_discard, name="version_discard"),
    path(VERSION, versions.version_detail, name="version_detail"),
    path(f"{VERSION}verschil/<int:other_pk>/", versions.version_diff, name="version_diff"),
    path(
        f"{VERSION}verschil/<int:other_pk>/pdf/",
        versions.version_diff_pdf,
        name="version_diff_pdf",
    ),
    # The approval procedure.
    path(f"{VERSION}indienen/", procedure.version_submit, name="version_submit"),
    path(f"{STEP}besluit/", procedure.step_record, name="step_record"),
    path(f"{STEP}nvt/", procedure.step_not_applicable, name="step_not_applicable"),
    path(f"{STEP}termijn/", procedure.step_extend, name="step_extend"),
    path(f"{STEP}lcg/", procedure.step_lcg, name="step_lcg"),
    path(f"{VERSION}intrekken/", procedure.version_withdraw, name="version_withdraw"),
    path(f"{VERSION}vaststellen/", procedure.version_adopt, name="version_adopt"),
    path(f"{VERSION}voorstel.pdf", procedure.proposal_pdf, name="proposal_pdf"),
    path(
        "protocollen/procedure/<slug:slug>/",
        procedure.procedure_settings,
        name="procedure_settings",
    ),
    path(f"{VERSION}documenten/", procedure.document_add, name="document_add"),
    path(
        f"{VERSION}documenten/<int:document_pk>/",
        procedure.document_download,
        name="document_download",
    ),
    # The council's side: questions and personal reading links.
    path(f"{VERSION}vragen/", council.question_ask, name="question_ask"),
    path(
        f"{VERSION}vragen/<int:question_pk>/antwoord/",
        council.question_answer,
        name="question_answer",
    ),
    path(f"{VERSION}leeslinks/", council.reading_link_create, name="reading_link_create"),
    path(
        f"{VERSION}leeslinks/<int:link_pk>/intrekken/",
        council.reading_link_revoke,
        name="reading_link_revoke",
    ),
    # Public by design: a personal, expiring link for someone without an account.
    path("lezen/<slug:token>/", council.reading_link_read, name="reading_link_read"),
    # The record: the decision log and staff confirming they have read a version.
    path("protocollen/<int:pk>/besluitenlijst/", record.decision_log, name="decision_log"),
    path(
        "protocollen/<int:pk>/besluitenlijst.csv",
        record.decision_log_csv,
        name="decision_log_csv",
    ),
    path(
        "protocollen/<int:pk>/besluitenlijst.pdf",
        record.decision_log_pdf,
        name="decision_log_pdf",
    ),
    path(f"{VERSION}gelezen/", record.acknowledgement_confirm, name="acknowledgement_confirm"),
    path(
        f"{VERSION}gelezen/overzicht/",
        record.acknowledgement_overview,
        name="acknowledgement_overview",
    ),
    path(
        f"{VERSION}gelezen/herinneren/<slug:slug>/",
        record.acknowledgement_remind,
        name="acknowledgement_remind",
    ),
]
