from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """The clinic's outcomes, per clinic and per clinician, naming no client."""

    name = "waypost.caseload.outcomes"
    label = "outcomes"
    verbose_name = "Clinic outcomes"
