"""Stage 4: long-term goals, the maintenance plan, graduation and alumni."""

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class FlourishConfig(AppConfig):
    name = "waypost.flourish"
    label = "flourish"
    verbose_name = "Stage 4: goals and graduation"

    def ready(self) -> None:
        # Check the domains file now: a broken file stops start-up, saying what is wrong.
        from waypost.flourish import domains

        try:
            domains.domains()
        except domains.DomainFileError as exc:
            raise ImproperlyConfigured(str(exc)) from exc
        from django.utils.translation import gettext_lazy as _

        from waypost.core import nav
        from waypost.flourish import events, panels, selectors, today
        from waypost.flourish.exports import register as register_export

        events.register_all()
        # Moved back below Stage 4: no longer an alumnus (the graduation ends with the move).
        from waypost.core import events as core_events
        from waypost.flourish.services import step_back_when_moved_back
        from waypost.program.events import STAGE_CHANGED
        from waypost.program.models import Stage

        core_events.listen(STAGE_CHANGED, step_back_when_moved_back)
        # Moved into Stage 4: the wellbeing questionnaire every four weeks.
        from waypost.flourish.services.wellbeing import schedule_wellbeing_on_entering

        core_events.listen(STAGE_CHANGED, schedule_wellbeing_on_entering)
        today.register()
        # The maintenance plan's lighter check-in rhythm, for the check-in reminder (Stage 4).
        from waypost.recovery import check_in_rhythm

        check_in_rhythm.register(
            "flourish.maintenance",
            lambda e: selectors.check_in_rhythm(e) if e.stage >= Stage.FLOURISHING else None,
            expression=selectors.rhythm_in_stage_expression,
        )
        panels.register()
        register_export()
        nav.register("flourish:*", "journey")
        nav.add_journey_link(
            nav.JourneyLink(
                "flourish", _("Your goals and maintenance plan"), "flourish:goals", 50, from_stage=4
            )
        )
