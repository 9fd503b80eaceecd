from django.urls import path

from protocols import views_council

urlpatterns = [
    path(
        "protocollen/versies/<int:pk>/vragen/",
        views_council.question_ask,
        name="question_ask",
    ),
    path(
        "protocollen/versies/<int:pk>/vragen/<int:question_pk>/antwoord/",
        views_council.question_answer,
        name="question_answer",
    ),
    path(
        "protocollen/versies/<int:pk>/leeslinks/",
        views_council.reading_link_create,
        name="reading_link_create",
    ),
    # Public by design: a personal, expiring link for someone without an account.
    path("lezen/<slug:token>/", views_council.reading_link_read, name="reading_link_read"),
]
