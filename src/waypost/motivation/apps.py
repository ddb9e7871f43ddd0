from django.apps import AppConfig


class MotivationConfig(AppConfig):
    """Readiness ruler, decisional balance, values card sort and stage of change."""

    name = "waypost.motivation"
    label = "motivation"
    verbose_name = "Motivation tools"

    def ready(self) -> None:
        from waypost.motivation import events, panels

        events.register_all()
        panels.register()
