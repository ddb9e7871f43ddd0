from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class LearnConfig(AppConfig):
    name = "waypost.learn"
    label = "learn"
    verbose_name = "Reading library"

    def ready(self) -> None:
        # Check every module file now: a broken file stops start-up, naming the file.
        from waypost.learn import content

        try:
            content.reload()
        except content.LibraryError as exc:
            raise ImproperlyConfigured(str(exc)) from exc
        from django.utils.translation import gettext_lazy as _

        from waypost.core.audit import register_subject

        register_subject("reading assigned", _("Reading assigned"))
        register_subject("reading withdrawn", _("Reading withdrawn"))

        from waypost.learn import gates, next_steps, panels  # noqa: F401 - registers the gate

        panels.register()
        next_steps.register_all()
        from waypost.learn import events, exports, homework

        events.register_all()
        exports.register()
        homework.register()
        from waypost.core import nav

        nav.add_journey_link(nav.JourneyLink("learn", _("Library"), "learn:library", 30))
