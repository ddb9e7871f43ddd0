from django.urls import path

from waypost.clinics.views import directory, manage, people, profile

app_name = "clinics"
urlpatterns = [
    # public directory
    path("specialists/", directory.directory, name="directory"),
    path("c/<slug:slug>/", directory.clinic_directory, name="clinic"),
    path("c/<slug:slug>/specialists/<int:profile_id>/", directory.specialist, name="specialist"),
    path(
        "c/<slug:slug>/specialists/<int:profile_id>/photo",
        directory.specialist_photo,
        name="photo",
    ),
    # the clinician's own profile (before <slug> routes; no clinic page is named "profile")
    path("clinic/profile/", profile.my_profile, name="my_profile"),
    path("clinic/profile/photo/<int:profile_id>", profile.my_photo, name="my_photo"),
    # the clinic admin
    path("clinic/", manage.manage_index, name="manage_index"),
    path("clinic/<slug:slug>/settings/", manage.clinic_settings, name="settings"),
    path("clinic/<slug:slug>/crisis-lines/", manage.crisis_lines, name="crisis_lines"),
    path(
        "clinic/<slug:slug>/crisis-lines/<int:line_id>/",
        manage.crisis_line_edit,
        name="crisis_line_edit",
    ),
    path(
        "clinic/<slug:slug>/crisis-lines/<int:line_id>/delete/",
        manage.crisis_line_delete,
        name="crisis_line_delete",
    ),
    path(
        "clinic/<slug:slug>/crisis-lines/<int:line_id>/move/",
        manage.crisis_line_move,
        name="crisis_line_move",
    ),
    path("clinic/<slug:slug>/gates/", manage.gate_settings, name="gates"),
    path("clinic/<slug:slug>/staff/", people.staff, name="staff"),
    path("clinic/<slug:slug>/staff/invite/", people.invite, name="invite"),
    path(
        "clinic/<slug:slug>/staff/invitations/<int:invitation_id>/revoke/",
        people.revoke_invitation,
        name="revoke_invitation",
    ),
    path(
        "clinic/<slug:slug>/staff/clinicians/<int:profile_id>/deactivate/",
        people.deactivate_clinician,
        name="deactivate_clinician",
    ),
    path(
        "clinic/<slug:slug>/staff/clinicians/<int:profile_id>/reactivate/",
        people.reactivate_clinician,
        name="reactivate_clinician",
    ),
    path("clinic/<slug:slug>/clients/", people.roster, name="roster"),
    path(
        "clinic/<slug:slug>/clients/<int:enrollment_id>/clinician/",
        people.reassign,
        name="reassign",
    ),
    path("clinic/<slug:slug>/audit/", people.audit_trail, name="audit"),
]
