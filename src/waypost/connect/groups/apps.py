from django.apps import AppConfig


class GroupTherapyConfig(AppConfig):
    """Clinician-run groups on a schedule: rosters, attendance, reminders, calendar feeds."""

    name = "waypost.connect.groups"
    label = "group_therapy"
    verbose_name = "Group therapy"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from waypost.connect import attendance, scopes
        from waypost.connect.groups import events, exports, feeds, panels, selectors
        from waypost.core import clinic_pages, coming_up, nav
        from waypost.core import panels as core_panels

        events.register_all()
        selectors.register_facts()
        feeds.register()
        exports.register()
        core_panels.register(
            core_panels.Panel(
                slot="client_connect",
                key="group_therapy.connect",
                template="group_therapy/panels/connect.html",
                context=panels.connect_panel,
                order=60,
                stylesheet=panels.STYLESHEET,
            )
        )
        core_panels.register(
            core_panels.Panel(
                slot="client_record_side",
                key="group_therapy.record",
                template="group_therapy/panels/record_card.html",
                context=panels.record_card,
                order=70,
                stylesheet=panels.STYLESHEET,
            )
        )
        coming_up.register("group_therapy.next_session", panels.next_group_session)
        attendance.register(
            attendance.AttendanceSource(
                "groups", _("Group sessions"), panels.attended_count, panels.attended_latest
            )
        )
        scopes.register(
            scopes.ConsentScope(
                feeds.ALLY_SCOPE,
                _("Group sessions"),
                _("Which group sessions you attended, and when the next one is."),
                template="group_therapy/ally_section.html",
                context=panels.ally_section,
            )
        )
        clinic_pages.register(
            clinic_pages.ClinicPage(
                "group_therapy",
                _("Groups"),
                _("Group programmes: schedules, facilitators and members"),
                "group_therapy:clinic_groups",
                lights=("group_therapy:clinic_groups", "group_therapy:new_group"),
                order=50,
                for_clinicians=True,
            )
        )
        for page in ("group_therapy:mine", "group_therapy:leave", "group_therapy:calendar"):
            nav.register(page, "connect")
