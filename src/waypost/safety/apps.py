from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "waypost.safety"
    label = "safety"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from waypost.core.audit import register_subject
        from waypost.safety import panels

        panels.register_all()
        from waypost.safety import columns

        columns.register_all()
        register_subject("safety plan", _("Safety plan"))
        register_subject("safety plan version", _("Safety plan, an earlier version"))
        register_subject("risk alert", _("A risk alert"))
        register_subject("risk alerts", _("Risk alerts in the inbox"))
        register_subject("risk alert status", _("Whether a risk alert is open (no content)"))
