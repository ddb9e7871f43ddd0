from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "waypost.intake"
    label = "intake"

    def ready(self) -> None:
        from waypost.intake import gates, panels

        gates.register()
        panels.register()
