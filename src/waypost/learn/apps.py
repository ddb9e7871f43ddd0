from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class LearnConfig(AppConfig):
    name = "waypost.learn"
    label = "learn"
    verbose_name = "Reading library and motivation tools"

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
        register_subject("motivation tools", _("Motivation tools (overview)"))
        register_subject("readiness ruler", _("Readiness ruler"))
        register_subject("decisional balance", _("Decisional balance"))
        register_subject("decisional balance version", _("Decisional balance, an earlier version"))
        register_subject("values card sort", _("Values card sort"))
        register_subject("values card sort version", _("Values card sort, an earlier version"))
        register_subject("stage of change", _("Stage of change"))
        register_subject("motivation request", _("A request to use a motivation tool"))

        from waypost.learn import gates, panels  # noqa: F401 - registers the gate criterion

        panels.register()
