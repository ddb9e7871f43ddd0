"""Stage 4's pages: the client's own under /goals/, their clinician's under /clients/<id>/goals/."""

from django.urls import URLPattern, URLResolver, path

from waypost.flourish import views

app_name = "flourish"
urlpatterns: list[URLPattern | URLResolver] = [
    # the client's own
    path("goals/", views.goals, name="goals"),
    path("goals/new/", views.goal_new, name="goal_new"),
    path("goals/<int:goal_id>/", views.goal, name="goal"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/steps/", views.goal_step_add, name="goal_step_add"),
    path(
        "goals/<int:goal_id>/steps/<int:step_id>/",
        views.goal_step_done,
        name="goal_step_done",
    ),
    path("goals/<int:goal_id>/notes/", views.goal_note, name="goal_note"),
    path("goals/<int:goal_id>/review/", views.goal_review, name="goal_review"),
    path("goals/maintenance/", views.maintenance, name="maintenance"),
    path("goals/maintenance/edit/", views.maintenance_edit, name="maintenance_edit"),
    # the primary clinician
    path("clients/<int:enrollment_id>/goals/", views.client_goals, name="client_goals"),
    path(
        "clients/<int:enrollment_id>/goals/<int:goal_id>/",
        views.client_goal,
        name="client_goal",
    ),
    path(
        "clients/<int:enrollment_id>/goals/<int:goal_id>/notes/",
        views.client_goal_note,
        name="client_goal_note",
    ),
    path(
        "clients/<int:enrollment_id>/goals/maintenance/",
        views.client_maintenance_edit,
        name="client_maintenance_edit",
    ),
    path(
        "clients/<int:enrollment_id>/goals/maintenance/agree/",
        views.client_maintenance_agree,
        name="client_maintenance_agree",
    ),
    path("clients/<int:enrollment_id>/graduate/", views.graduate, name="graduate"),
    path("clients/<int:enrollment_id>/step-back-in/", views.step_back_in, name="step_back_in"),
]
