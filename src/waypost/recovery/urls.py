from django.urls import path

from waypost.recovery.views import checkin

app_name = "recovery"
urlpatterns = [
    path("checkin/", checkin.checkin, name="checkin"),
    path("checkin/<str:day>/", checkin.checkin_day, name="checkin_day"),
]
