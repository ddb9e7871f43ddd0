from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications: kinds, per-person choices, in-app, e-mail and web push."""

    name = "waypost.notifications"
    label = "notifications"
    verbose_name = "Notifications"
