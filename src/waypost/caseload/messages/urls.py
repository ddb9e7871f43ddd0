from django.urls import URLPattern, URLResolver, path

from waypost.caseload.messages import views

app_name = "messaging"
urlpatterns: list[URLPattern | URLResolver] = [
    # the client's own messages
    path("messages/", views.mine, name="mine"),
    # the primary clinician's thread with one client
    path("clients/<int:enrollment_id>/messages/", views.thread, name="thread"),
    # a clinic admin's switch
    path("clinic/<slug:slug>/messages/", views.clinic_settings, name="clinic_settings"),
]
