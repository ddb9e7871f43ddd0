from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "waypost.program"
    label = "program"

    def ready(self) -> None:
        from django.db.models import OuterRef

        from waypost.access.policy import register_role_loader
        from waypost.core import nav
        from waypost.program import events, exports
        from waypost.program.models import Enrollment
        from waypost.program.selectors import active_enrollments_of

        register_role_loader(
            "enrollments",
            active_enrollments_of,
            probe=lambda: Enrollment.objects.filter(
                client=OuterRef("pk"), status=Enrollment.Status.ACTIVE
            ),
        )
        events.register_all()
        exports.register()
        # Offered from Today once, read again from "Me" for good: it lives under Me.
        nav.register("program:welcome", "me")
