from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "waypost.safety"
    label = "safety"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from waypost.core import nav
        from waypost.safety import columns, events, exports, next_steps, panels

        events.register_all()
        panels.register_all()
        next_steps.register_all()
        # The client's own plan is listed with their work on Journey (and behind Get help now).
        nav.register("safety:my_plan*", "journey")
        nav.add_journey_link(nav.JourneyLink("safety", _("Your safety plan"), "safety:my_plan", 50))
        columns.register_all()
        exports.register()
        from waypost.core import clinic_pages

        # The clinic admin's Risk overview; its tile is the live count (clinic_risk_tile).
        clinic_pages.register(
            clinic_pages.ClinicPage(
                "safety",
                _("Risk overview"),
                _("Open and acknowledged risk alerts"),
                "safety:clinic_risk",
                order=20,
                tile=False,
            )
        )
        clinic_pages.register(
            clinic_pages.ClinicPage(
                "safety_escalation",
                _("Escalation"),
                _("On-call rota and when unacknowledged alerts are passed on"),
                "safety:clinic_escalation",
                lights=("safety:clinic_escalation*",),
                order=21,
            )
        )
