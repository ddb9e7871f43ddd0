from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "waypost.caseload.messages"
    label = "messaging"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from waypost.caseload.messages import events, exports, panels
        from waypost.core import clinic_pages, nav

        events.register_all()
        panels.register_all()
        exports.register()
        # The client's messages sit with their own things, under "Me".
        nav.register("messaging:mine", "me")
        clinic_pages.register(
            clinic_pages.ClinicPage(
                "messaging",
                _("Messages"),
                _("Turn secure messages on or off"),
                "messaging:clinic_settings",
                order=60,
            )
        )
