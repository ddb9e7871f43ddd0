from django.apps import AppConfig


class MotivationConfig(AppConfig):
    """Readiness ruler, decisional balance, values card sort and stage of change."""

    name = "waypost.motivation"
    label = "motivation"
    verbose_name = "Motivation tools"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from waypost.core import nav
        from waypost.motivation import events, exports, next_steps, panels

        events.register_all()
        panels.register()
        next_steps.register_all()
        exports.register()
        # The tools are linked from Journey ("Your work in the program"): they light Journey.
        nav.register("motivation:*", "journey")
        nav.add_journey_link(
            nav.JourneyLink(
                "motivation",
                _("Thinking it through: readiness, pros and cons, values"),
                "motivation:overview",
                40,
            )
        )
