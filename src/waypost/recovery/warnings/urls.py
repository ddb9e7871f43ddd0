from django.urls import URLPattern, URLResolver, path

from waypost.recovery.warnings import views

app_name = "early_warnings"
urlpatterns: list[URLPattern | URLResolver] = [
    path("warnings/<int:pk>/noted/", views.note, name="note"),
    path("clinic/<slug:slug>/early-warnings/", views.clinic_settings, name="clinic_settings"),
]
