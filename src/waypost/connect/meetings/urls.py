from django.urls import URLPattern, URLResolver, path

from waypost.connect.meetings import clinic_views, views

app_name = "meetings"
urlpatterns: list[URLPattern | URLResolver] = [
    path("meetings/", views.directory, name="directory"),
    path("meetings/soon/", views.soon, name="soon"),
    path("meetings/log/", views.attendance, name="attendance"),
    path("meetings/log/<int:pk>/delete/", views.attendance_delete, name="attendance_delete"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/favourite/", views.favourite, name="favourite"),
    path("meetings/<int:pk>/reminder/", views.reminder, name="reminder"),
    *clinic_views.urlpatterns,
]
