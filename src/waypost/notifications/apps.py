from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications: kinds, per-person choices, in-app, e-mail and web push."""

    name = "waypost.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from waypost.core import nav
        from waypost.notifications import exports, selectors

        # The unread count in the header: free on Today, among every app's facts.
        selectors.register_facts()
        exports.register()
        # A client's notifications and their choices are theirs: the Me tab.
        nav.register("notifications:*", "me")
