from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "waypost.recovery"
    label = "recovery"
    verbose_name = "Recovery (Stage 2)"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from waypost.core import nav
        from waypost.core.audit import register_subject
        from waypost.recovery import events, exports, next_steps, panels

        events.register_all()
        next_steps.register_all()
        panels.register()
        exports.register()
        register_subject("check-ins", _("Daily check-ins"))
        # The check-in is part of the client's day: it lights Today.
        nav.register("recovery:*", "today")
