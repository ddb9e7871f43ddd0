from django.apps import AppConfig


class SessionNotesConfig(AppConfig):
    """Session notes (structured, encrypted, signed, locked), homework, the record timeline."""

    name = "waypost.caseload.notes"
    label = "session_notes"
    verbose_name = "Session notes"

    def ready(self) -> None:
        from waypost.caseload.notes import events, exports, homework, panels, timeline, today
        from waypost.core import nav

        events.register_all()
        timeline.register_categories()
        homework.register()
        today.register()
        panels.register()
        exports.register()
        # The client's exercises are among their own things, under "Me".
        nav.register("session_notes:mine", "me")
