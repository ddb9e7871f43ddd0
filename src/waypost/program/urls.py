from django.urls import path

from waypost.program import views

app_name = "program"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("journey/", views.journey, name="journey"),
    path("welcome/", views.welcome, name="welcome"),
]
