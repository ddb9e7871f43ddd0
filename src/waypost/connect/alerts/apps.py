from django.apps import AppConfig


class AllyAlertsConfig(AppConfig):
    name = "waypost.connect.alerts"
    label = "ally_alerts"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from waypost.connect.alerts import events, exports, kinds, panels, support, views
        from waypost.core.audit import register_subject

        events.register_all()
        support.register()
        kinds.register()
        panels.register()
        exports.register()
        register_subject(views.UPDATES_PAGE, gettext_lazy("An ally's updates"))
