from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class AssessmentsConfig(AppConfig):
    name = "waypost.assessments"
    label = "assessments"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from waypost.assessments import catalog, gates, panels  # noqa: F401 - registers
        from waypost.core.audit import register_subject

        # Check every instrument file now: a broken file must stop start-up,
        # not surprise a client halfway through a questionnaire.
        try:
            catalog.catalog()
        except catalog.InstrumentFileError as exc:
            raise ImproperlyConfigured(f"instrument file {exc}") from exc
        panels.register_all()
        from waypost.assessments import next_steps
        from waypost.core import nav

        # Questionnaires on Today (as next steps), the next session under "Coming up".
        next_steps.register_all()
        # The client's questionnaires are part of their work, listed on Journey.
        nav.register("assessments:*", "journey")
        nav.add_journey_link(
            nav.JourneyLink(
                "assessments", _("Questionnaires and results"), "assessments:measures", 10
            )
        )
        from waypost.assessments import columns

        columns.register_all()
        from waypost.assessments import events

        events.register_all()
        from waypost.assessments.services import assign_baseline
        from waypost.program import enrollment_hooks

        # a new client finds the clinic's baseline questionnaires waiting
        enrollment_hooks.register("assessments.baseline", assign_baseline)
        from waypost.assessments import exports, homework

        exports.register()
        homework.register()
        from waypost.core import clinic_pages

        # The clinic admin's Measures: first questionnaires, how change is judged, own ones.
        clinic_pages.register(
            clinic_pages.ClinicPage(
                "assessments",
                _("Measures"),
                _("First questionnaires, how change is judged, your own questionnaires"),
                "assessments:clinic_settings",
                lights=("assessments:clinic_settings", "assessments:clinic_instrument*"),
                order=10,
            )
        )
        for key, label in {
            "measures": _("Measures and scores"),
            "measure answers": _("Answers to a questionnaire"),
            "measure export": _("A questionnaire exported as FHIR"),
            "measure assigned": _("Questionnaire assigned"),
            "measure schedule ended": _("Questionnaire schedule ended"),
            "measure imported": _("Questionnaire imported"),
            "session planned": _("Session planned"),
            "session cancelled": _("Session removed"),
        }.items():
            register_subject(key, label)
