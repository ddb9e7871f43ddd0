from django.urls import URLPattern, URLResolver, path

from waypost.caseload.appointments import views

app_name = "appointments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("appointments/", views.mine, name="mine"),
    path("clients/<int:enrollment_id>/appointments/", views.for_client, name="for_client"),
    path("clients/<int:enrollment_id>/appointments/new/", views.book, name="book"),
    path("appointments/<int:pk>/move/", views.move, name="move"),
    path("appointments/<int:pk>/cancel/", views.cancel, name="cancel"),
]
