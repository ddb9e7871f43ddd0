from django.apps import AppConfig


class SessionNotesConfig(AppConfig):
    """Session notes (structured, encrypted, signed, locked), homework, the record timeline."""

    name = "waypost.caseload.notes"
    label = "session_notes"
    verbose_name = "Session notes"
