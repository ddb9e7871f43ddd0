from django.apps import AppConfig


class EarlyWarningsConfig(AppConfig):
    name = "waypost.recovery.warnings"
    label = "early_warnings"
    verbose_name = "Early warnings"

    def ready(self) -> None:
        # The rules over the recovery data (Shield registers its own from its ready()),
        # their timeline kinds, Today's fact and the cards, column and clinic page.
        from waypost.recovery.warnings import events, recovery_rules, selectors, views

        recovery_rules.register_all()
        events.register_all()
        selectors.register_facts()
        views.register()
        # The risk inbox hears of lapses the client logs (and, hourly, of long silences).
        from waypost.core import events as core_events
        from waypost.recovery.events import LAPSE_LOGGED
        from waypost.recovery.warnings import risk

        core_events.listen(LAPSE_LOGGED, risk.alert_on_lapse)
