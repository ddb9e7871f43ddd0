from django.urls import path

from waypost.caseload import views

app_name = "caseload"
urlpatterns = [
    path("caseload/", views.caseload, name="list"),
    path("caseload/invite/", views.invite_client, name="invite"),
    path(
        "caseload/invitations/<int:invitation_id>/resend/",
        views.resend_invitation,
        name="resend_invitation",
    ),
    path(
        "caseload/invitations/<int:invitation_id>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("clients/<int:enrollment_id>/", views.client_record, name="record"),
    path("clients/<int:enrollment_id>/stage/", views.change_stage, name="change_stage"),
]
