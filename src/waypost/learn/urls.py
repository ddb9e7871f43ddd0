from django.urls import path

from waypost.learn import views
from waypost.learn import views_motivation as motivation

app_name = "learn"
urlpatterns = [
    path("learn/", views.library_page, name="library"),
    path("learn/<slug:slug>/", views.module_page, name="module"),
    path("learn/<slug:slug>/read/", views.mark_read, name="mark_read"),
    path("learn/<slug:slug>/note/", views.save_note, name="note"),
    path("clients/<int:enrollment_id>/learn/assign/", views.assign, name="assign"),
    path(
        "clients/<int:enrollment_id>/learn/assignments/<int:assignment_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    # motivation tools: the client's own
    path("motivation/", motivation.overview, name="motivation"),
    path("motivation/readiness/", motivation.readiness, name="readiness"),
    path("motivation/balance/", motivation.balance, name="balance"),
    path("motivation/balance/edit/", motivation.balance_edit, name="balance_edit"),
    path("motivation/balance/<int:version>/", motivation.balance_version, name="balance_version"),
    path("motivation/values/", motivation.values, name="values"),
    path("motivation/values/sort/", motivation.values_sort, name="values_sort"),
    path("motivation/values/top/", motivation.values_top, name="values_top"),
    path("motivation/values/notes/", motivation.values_notes, name="values_notes"),
    path("motivation/values/<int:version>/", motivation.values_version, name="values_version"),
    path("motivation/stage/", motivation.stage, name="stage"),
    # motivation tools: the primary clinician, reading and filling them in session
    path(
        "clients/<int:enrollment_id>/motivation/",
        motivation.client_overview,
        name="client_motivation",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/ask/",
        motivation.client_ask,
        name="client_motivation_ask",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/readiness/",
        motivation.client_readiness,
        name="client_readiness",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/balance/",
        motivation.client_balance,
        name="client_balance",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/balance/edit/",
        motivation.client_balance_edit,
        name="client_balance_edit",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/balance/<int:version>/",
        motivation.client_balance_version,
        name="client_balance_version",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/",
        motivation.client_values,
        name="client_values",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/sort/",
        motivation.client_values_sort,
        name="client_values_sort",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/top/",
        motivation.client_values_top,
        name="client_values_top",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/notes/",
        motivation.client_values_notes,
        name="client_values_notes",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/values/<int:version>/",
        motivation.client_values_version,
        name="client_values_version",
    ),
    path(
        "clients/<int:enrollment_id>/motivation/stage/",
        motivation.client_stage,
        name="client_stage",
    ),
]
