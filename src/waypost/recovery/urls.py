from django.urls import path

from waypost.recovery.views import checkin
from waypost.recovery.views import devices as device_views
from waypost.recovery.views import help as help_views
from waypost.recovery.views import lapses as lapse_views
from waypost.recovery.views import middle as middle_views
from waypost.recovery.views import plans as plan_views
from waypost.recovery.views import toolbox as toolbox_views
from waypost.recovery.views import urges as urge_views

app_name = "recovery"
urlpatterns = [
    path("checkin/", checkin.checkin, name="checkin"),
    path("checkin/<str:day>/", checkin.checkin_day, name="checkin_day"),
    # the recovery plan and the relapse-prevention plan (views/plans.py)
    path("plan/", plan_views.plan, name="plan"),
    path("plan/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plan/versions/<int:version>/", plan_views.plan_version, name="plan_version"),
    path("plan/prevention/", plan_views.prevention, name="prevention"),
    path("plan/prevention/edit/", plan_views.prevention_edit, name="prevention_edit"),
    path(
        "plan/prevention/versions/<int:version>/",
        plan_views.prevention_version,
        name="prevention_version",
    ),
    path("plan/prevention/card/", plan_views.prevention_card, name="prevention_card"),
    path("clients/<int:enrollment_id>/plan/", plan_views.client_plan, name="client_plan"),
    path(
        "clients/<int:enrollment_id>/plan/edit/",
        plan_views.client_plan_edit,
        name="client_plan_edit",
    ),
    path(
        "clients/<int:enrollment_id>/plan/versions/<int:version>/",
        plan_views.client_plan_version,
        name="client_plan_version",
    ),
    path(
        "clients/<int:enrollment_id>/plan/review/",
        plan_views.client_plan_review,
        name="client_plan_review",
    ),
    path(
        "clients/<int:enrollment_id>/plan/prevention/",
        plan_views.client_prevention,
        name="client_prevention",
    ),
    path(
        "clients/<int:enrollment_id>/plan/prevention/edit/",
        plan_views.client_prevention_edit,
        name="client_prevention_edit",
    ),
    path(
        "clients/<int:enrollment_id>/plan/prevention/versions/<int:version>/",
        plan_views.client_prevention_version,
        name="client_prevention_version",
    ),
    path(
        "clients/<int:enrollment_id>/plan/prevention/card/",
        plan_views.client_prevention_card,
        name="client_prevention_card",
    ),
    # the lapse log (views/lapses.py)
    path("lapses/", lapse_views.lapses, name="lapses"),
    path("lapses/new/", lapse_views.lapse_new, name="lapse_new"),
    path("lapses/<int:lapse_id>/", lapse_views.lapse, name="lapse"),
    path("lapses/<int:lapse_id>/learning/", lapse_views.lapse_learning, name="lapse_learning"),
    path("clients/<int:enrollment_id>/lapses/", lapse_views.client_lapses, name="client_lapses"),
    # the urge log and its patterns (views/urges.py), the device plan (views/devices.py)
    path("urges/", urge_views.urge_patterns, name="urge_patterns"),
    path("urges/new/", urge_views.urge_new, name="urge_new"),
    path("urges/<int:pk>/", urge_views.urge_edit, name="urge_edit"),
    # the middle-circle log (views/middle.py)
    path("middle/", middle_views.middle_log, name="middle_log"),
    path("middle/new/", middle_views.middle_new, name="middle_new"),
    path("middle/<int:pk>/delete/", middle_views.middle_delete, name="middle_delete"),
    path("devices/", device_views.device_plan, name="device_plan"),
    path("devices/<int:pk>/steps/<str:step>/", device_views.device_step, name="device_step"),
    path("devices/<int:pk>/retire/", device_views.device_retire, name="device_retire"),
    # the skills toolbox, its practice log and "I'm having an urge" (views/toolbox.py, help.py)
    path("toolbox/", toolbox_views.toolbox, name="toolbox"),
    path("toolbox/practice/", toolbox_views.practice_log, name="practice_log"),
    path("toolbox/<slug:slug>/", toolbox_views.exercise, name="exercise"),
    path("help/urge/", help_views.urge_help, name="urge_help"),
]
