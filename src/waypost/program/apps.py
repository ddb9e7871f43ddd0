from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "waypost.program"
    label = "program"

    def ready(self) -> None:
        from waypost.access.policy import register_role_loader
        from waypost.program import events
        from waypost.program.selectors import active_enrollments_of

        register_role_loader("enrollments", active_enrollments_of)
        events.register_all()
