from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Progress reports (HTML and PDF) and the clinician's export of a record (JSON, FHIR, CSV)."""

    name = "waypost.caseload.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from waypost.caseload.reports import events, exports, panels
        from waypost.core import nav
        from waypost.core import panels as core_panels

        events.register_all()
        exports.register()
        core_panels.register(
            core_panels.Panel(
                slot="client_me",
                key="reports.me",
                template="reports/panels/me.html",
                context=panels.me_card,
                order=40,
                stylesheet=panels.STYLESHEET,
            )
        )
        core_panels.register(
            core_panels.Panel(
                slot="client_record_side",
                key="reports.record",
                template="reports/panels/record.html",
                context=panels.record_card,
                order=60,
                stylesheet=panels.STYLESHEET,
            )
        )
        # The client reaches their reports from Me.
        nav.register("reports:mine_new", "me")
        nav.register("reports:show", "me")
