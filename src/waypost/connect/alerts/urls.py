from django.urls import URLPattern, URLResolver, path

from waypost.connect.alerts import views

app_name = "ally_alerts"
urlpatterns: list[URLPattern | URLResolver] = [
    # the ally's side
    path("ally/<int:link_id>/updates/", views.updates, name="updates"),
    path("ally/<int:link_id>/updates/how-often/", views.alert_settings, name="alert_settings"),
    # the client's side
    path("connect/support/", views.support_now, name="support"),
    path("connect/support/<int:request_id>/", views.support_sent, name="support_sent"),
]
