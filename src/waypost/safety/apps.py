from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "waypost.safety"
    label = "safety"

    def ready(self) -> None:
        from waypost.safety import columns, events, panels

        events.register_all()
        panels.register_all()
        columns.register_all()
