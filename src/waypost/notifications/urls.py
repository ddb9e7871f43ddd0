from django.urls import URLPattern, URLResolver, path

from waypost.notifications import views

app_name = "notifications"
urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("notifications/<int:pk>/read/", views.mark_read, name="read"),
    path("notifications/read-all/", views.mark_all_read, name="read_all"),
    path("notifications/choices/", views.choices, name="choices"),
    path("notifications/device/", views.device_on, name="device_on"),
    path("notifications/device/off/", views.device_off, name="device_off"),
]
