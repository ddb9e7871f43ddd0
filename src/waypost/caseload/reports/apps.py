from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Progress reports (HTML and PDF) and the clinician's export of a record (JSON, FHIR, CSV)."""

    name = "waypost.caseload.reports"
    label = "reports"
    verbose_name = "Reports"
