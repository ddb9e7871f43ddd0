from django.urls import path

from waypost.connect import views

app_name = "connect"
urlpatterns = [
    path("connect/", views.allies, name="allies"),
    path("ally/", views.ally_home, name="ally_home"),
]
