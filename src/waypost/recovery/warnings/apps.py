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
