from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "waypost.safety"
    label = "safety"

    def ready(self) -> None:
        from waypost.safety import panels

        panels.register_all()
