from django.urls import URLPattern, URLResolver, path

from waypost.caseload.outcomes import views

app_name = "outcomes"
urlpatterns: list[URLPattern | URLResolver] = [
    # the clinic's figures, for its admins and clinicians
    path("clinic/<slug:slug>/outcomes/", views.clinic_outcomes, name="clinic_outcomes"),
]
