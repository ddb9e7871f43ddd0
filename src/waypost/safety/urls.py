from django.urls import path

from waypost.safety import escalation_views, views

app_name = "safety"
urlpatterns = [
    # the client's own plan
    path("safety-plan/", views.my_plan, name="my_plan"),
    path("safety-plan/edit/", views.my_plan_edit, name="my_plan_edit"),
    path("safety-plan/versions/<int:version>/", views.my_plan_version, name="my_plan_version"),
    # the primary clinician, with the client
    path("clients/<int:enrollment_id>/safety-plan/", views.client_plan, name="client_plan"),
    path(
        "clients/<int:enrollment_id>/safety-plan/edit/",
        views.client_plan_edit,
        name="client_plan_edit",
    ),
    path(
        "clients/<int:enrollment_id>/safety-plan/versions/<int:version>/",
        views.client_plan_version,
        name="client_plan_version",
    ),
    # risk alerts
    path("risk/", views.inbox, name="inbox"),
    path("risk/<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("clinic/<slug:slug>/risk/", views.clinic_risk, name="clinic_risk"),
    # escalation: times and the on-call rota (clinic admins)
    path(
        "clinic/<slug:slug>/escalation/",
        escalation_views.clinic_escalation,
        name="clinic_escalation",
    ),
    path(
        "clinic/<slug:slug>/escalation/shifts/<int:shift_id>/remove/",
        escalation_views.remove_shift,
        name="clinic_escalation_remove_shift",
    ),
]
