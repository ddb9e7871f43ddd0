from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """The clinic's outcomes, per clinic and per clinician, naming no client."""

    name = "waypost.caseload.outcomes"
    label = "outcomes"
    verbose_name = "Clinic outcomes"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from waypost.caseload.outcomes import events
        from waypost.core import clinic_pages

        events.register_all()
        # Among the clinic admin's tabs and tiles, and above each clinician's caseload.
        clinic_pages.register(
            clinic_pages.ClinicPage(
                "outcomes",
                _("Outcomes"),
                _("Stages, change on measures, completion, check-ins and alerts, in figures"),
                "outcomes:clinic_outcomes",
                order=2,
                for_clinicians=True,
            )
        )
