"""The motivation tools' pages: the client's own under /motivation/, their clinician's under
/clients/<id>/motivation/ (the addresses they had when the tools lived in the learn app)."""

from django.urls import path

from waypost.motivation import views

app_name = "motivation"
urlpatterns = [
    # the client's own
    path("motivation/", views.overview, name="overview"),
    path("motivation/readiness/", views.readiness, name="readiness"),
    path("motivation/balance/", views.balance, name="balance"),
    path("motivation/balance/edit/", views.balance_edit, name="balance_edit"),
    path("motivation/balance/<int:version>/", views.balance_version, name="balance_version"),
    path("motivation/values/", views.values, name="values"),
    path("motivation/values/sort/", views.values_sort, name="values_sort"),
    path("motivation/values/top/", views.values_top, name="values_top"),
    path("motivation/values/notes/", views.values_notes, name="values_notes"),
    path("motivation/values/<int:version>/", views.values_version, name="values_version"),
    path("motivation/stage/", views.stage, name="stage"),
    # the primary clinician, reading them and filling them in with the client in session
    path("clients/<int:enrollment_id>/motivation/", views.client_overview, name="client_overview"),
    path("clients/<int:enrollment_id>/motivation/ask/", views.client_ask, name="client_ask"),
    path(
        "clients/<int:enrollment_id>/motivation/readiness/",
        views.client_readiness,
        name="client_readiness",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/balance/",
        views.client_balance,
        name="client_balance",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/balance/edit/",
        views.client_balance_edit,
        name="client_balance_edit",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/balance/<int:version>/",
        views.client_balance_version,
        name="client_balance_version",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/",
        views.client_values,
        name="client_values",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/sort/",
        views.client_values_sort,
        name="client_values_sort",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/top/",
        views.client_values_top,
        name="client_values_top",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/notes/",
        views.client_values_notes,
        name="client_values_notes",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/<int:version>/",
        views.client_values_version,
        name="client_values_version",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/stage/",
        views.client_stage,
        name="client_stage",
    ),
]
