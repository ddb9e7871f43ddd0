"""Group therapy's pages: the staff's (``views.staff``, ``views.sessions``), the client's
(``views.client``) and everyone's calendar address (``views.calendar``)."""

from django.urls import URLPattern, URLResolver

from waypost.connect.groups.views import calendar, client, sessions, staff

app_name = "group_therapy"
urlpatterns: list[URLPattern | URLResolver] = [
    *staff.urlpatterns,
    *sessions.urlpatterns,
    *client.urlpatterns,
    *calendar.urlpatterns,
]
