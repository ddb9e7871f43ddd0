from django.apps import AppConfig


class SessionNotesConfig(AppConfig):
    """Session notes (structured, encrypted, signed, locked), homework, and the record's timeline."""

    name = "waypost.caseload.notes"
    label = "session_notes"
    verbose_name = "Session notes"
