from django.urls import path

from waypost.connect import family_views, support, views

app_name = "connect"
urlpatterns = [
    # the client's side
    path("connect/", views.allies, name="allies"),
    path("connect/invite/", views.invite, name="invite"),
    path("connect/allies/<int:link_id>/", views.consent, name="consent"),
    path("connect/allies/<int:link_id>/stop/", views.end, name="end"),
    path(
        "connect/invitations/<int:invitation_id>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    # the ally's side
    path("ally/", views.ally_home, name="ally_home"),
    path("ally/guide/", views.ally_guide, name="ally_guide"),
    path("ally/wellbeing/", views.ally_wellbeing, name="ally_wellbeing"),
    path("ally/<int:link_id>/", views.ally_shared, name="ally_shared"),
    # the clinician's side: family and partner sessions in the client's record
    path(
        "clients/<int:enrollment_id>/family-sessions/",
        family_views.family_sessions,
        name="family_sessions",
    ),
    path(
        "clients/<int:enrollment_id>/support-arrangements/",
        support.document,
        name="document_support",
    ),
]
