from django.urls import path

from waypost.clinics import views

app_name = "clinics"
urlpatterns = [
    path("specialists/", views.directory, name="directory"),
    path("c/<slug:slug>/", views.clinic_directory, name="clinic"),
    path("c/<slug:slug>/specialists/<int:profile_id>/", views.specialist, name="specialist"),
    path("c/<slug:slug>/specialists/<int:profile_id>/photo", views.specialist_photo, name="photo"),
    path("clinic/", views.manage_index, name="manage_index"),
]
