from django.urls import path

from waypost.recovery import views

app_name = "recovery"
urlpatterns = [
    path("checkin/", views.checkin, name="checkin"),
    path("checkin/<str:day>/", views.checkin_day, name="checkin_day"),
]
