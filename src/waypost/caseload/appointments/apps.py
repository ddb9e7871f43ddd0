from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    """Sessions the clinician books: on Today, the record, the caseload, calendars, reminders."""

    name = "waypost.caseload.appointments"
    label = "appointments"
    verbose_name = "Appointments"

    def ready(self) -> None:
        from waypost.caseload.appointments import calendar, events, exports, panels, selectors
        from waypost.core import columns, coming_up, nav
        from waypost.core import panels as core_panels

        events.register_all()
        selectors.register_facts()
        calendar.register()
        exports.register()
        coming_up.register("appointments.next", panels.next_appointment)
        columns.register(panels.NEXT_COLUMN)
        core_panels.register(
            core_panels.Panel(
                slot="client_record_side",
                key="appointments.record",
                template="appointments/panels/record_card.html",
                context=panels.record_card,
                order=15,
                stylesheet=panels.STYLESHEET,
            )
        )
        nav.register("appointments:mine", "today")
