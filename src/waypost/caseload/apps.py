from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "waypost.caseload"
    label = "caseload"

    def ready(self) -> None:
        from waypost.caseload import events

        events.register_all()
