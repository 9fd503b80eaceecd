from django.urls import path

from protocols import urls_council, urls_procedure, urls_record, views

app_name = "protocols"
urlpatterns = [
    # Public, without login: the adopted protocol of a school (linked from the schoolgids).
    path("protocol/", views.public_index, name="public_index"),
    path("protocol/<slug:slug>/", views.public_school, name="public_school"),
    path("protocol/<slug:slug>/pdf/", views.public_pdf, name="public_pdf"),
    path("protocol/<slug:slug>/versie/<int:pk>/", views.public_school, name="public_version"),
    path("protocol/<slug:slug>/versie/<int:pk>/pdf/", views.public_pdf, name="public_version_pdf"),
    # Inside the portal.
    path("protocollen/", views.protocol_list, name="protocol_list"),
    path("protocollen/importeren/", views.protocol_import, name="protocol_import"),
    path("protocollen/voorbeeld/", views.section_preview, name="section_preview"),
    path("protocollen/versies/<int:pk>/bewerken/", views.version_edit, name="version_edit"),
    path(
        "protocollen/versies/<int:pk>/aanvulling/<slug:slug>/",
        views.version_edit,
        name="version_addendum_edit",
    ),
    path(
        "protocollen/versies/<int:pk>/nieuw-concept/",
        views.version_new_draft,
        name="version_new_draft",
    ),
    path("protocollen/versies/<int:pk>/", views.version_detail, name="version_detail"),
    path(
        "protocollen/versies/<int:pk>/verschil/<int:other_pk>/",
        views.version_diff,
        name="version_diff",
    ),
    path(
        "protocollen/versies/<int:pk>/verschil/<int:other_pk>/pdf/",
        views.version_diff_pdf,
        name="version_diff_pdf",
    ),
]

# The approval procedure, council interaction and the record each keep their own routes.
urlpatterns += urls_procedure.urlpatterns + urls_council.urlpatterns + urls_record.urlpatterns
