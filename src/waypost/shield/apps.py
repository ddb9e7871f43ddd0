from django.apps import AppConfig


class ShieldConfig(AppConfig):
    """The web app's side of Shield: devices, lists, counts (the resolver needs none of it)."""

    name = "waypost.shield"
    label = "shield"
    verbose_name = "Shield (the DNS filter)"

    def ready(self) -> None:
        # The client's pages (devices on Shield, setup, lockdown, lists) and the
        # clinician's and allies' side (record card, caseload column, silence alerts).
        from waypost.shield import ally_alerts, exports
        from waypost.shield.views import admin, client, clinician

        client.register()
        clinician.register()
        admin.register()
        exports.register()
        ally_alerts.register()
        # A device gone quiet, as an early-warning rule (recovery.warnings' registry).
        from waypost.shield import early_warning

        early_warning.register_rule()
