from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("", views.home, name="home"),
    path("scholen/<slug:slug>/", views.school_detail, name="school_detail"),
    path("groepen/<int:pk>/", views.group_detail, name="group_detail"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
]
