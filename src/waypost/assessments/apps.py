from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class AssessmentsConfig(AppConfig):
    name = "waypost.assessments"
    label = "assessments"

    def ready(self) -> None:
        from waypost.assessments import catalog

        # Check every instrument file now: a broken file must stop start-up,
        # not surprise a client halfway through a questionnaire.
        try:
            catalog.catalog()
        except catalog.InstrumentFileError as exc:
            raise ImproperlyConfigured(f"instrument file {exc}") from exc
