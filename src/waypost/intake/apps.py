from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "waypost.intake"
    label = "intake"

    def ready(self) -> None:
        from django.utils.translation import gettext as _
        from django.utils.translation import gettext_lazy

        from waypost.core import nav
        from waypost.core.audit import register_subject
        from waypost.intake import events, exports, gates, next_steps, panels, topics

        gates.register()
        exports.register()
        panels.register()
        next_steps.register_all()
        events.register_all()
        # The history and the story are part of the client's work, listed on Journey.
        nav.register("intake:*", "journey")
        nav.add_journey_link(
            nav.JourneyLink("intake", gettext_lazy("Your history"), "intake:overview", 20)
        )
        nav.add_journey_link(
            nav.JourneyLink("story", gettext_lazy("Your story"), "intake:story", 21)
        )

        def topic(key: str) -> str:
            found = topics.topic_by_key(key)
            return _("History intake: %(topic)s") % {"topic": found.title if found else key}

        register_subject("history intake", topic)
        register_subject("history intake completed", gettext_lazy("History intake marked complete"))
        register_subject("history intake summary", gettext_lazy("History intake summary"))
        register_subject("shared story", gettext_lazy("The story the client shared"))
