from django.urls import path  # noqa: F401  (routes are added per part of the work below)

app_name = "consent"

urlpatterns = [
    # Parents, pupils of 16+ and staff: their own choices (views/own.py).
    # School staff: lists, the publication check, coverage, inzage, takedowns (views/school.py).
    # Activity requests (views/activities.py) and purposes (views/purposes.py).
]
