from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "waypost.recovery"
    label = "recovery"
    verbose_name = "Recovery (Stage 2)"

    def ready(self) -> None:
        # The skills toolbox's exercise files, checked before anything else: a broken
        # file stops start-up with a message naming it (recovery/skills.py).
        from django.core.exceptions import ImproperlyConfigured

        from waypost.recovery import skills

        try:
            skills.reload()
        except skills.SkillsError as exc:
            raise ImproperlyConfigured(str(exc)) from exc

        from django.utils.translation import gettext_lazy as _

        from waypost.core import nav
        from waypost.core.audit import register_subject
        from waypost.recovery import columns, events, exports, gates, next_steps, panels

        events.register_all()
        next_steps.register_all()
        panels.register()
        exports.register()
        columns.register_all()
        gates.register_all()
        # The plans and the lapse log: gate criteria, audit subjects, the Journey tab.
        from waypost.recovery import plan_selectors

        plan_selectors.register()
        # The urge log and the device plan: cards, next step, nav, gate criterion.
        from waypost.recovery.views import devices as device_views
        from waypost.recovery.views import middle as middle_views
        from waypost.recovery.views import urges as urge_views

        urge_views.register()
        # The middle-circle log: its record card, audit subject, Journey link, kept page.
        middle_views.register()
        device_views.register()
        # The skills toolbox: its Today card, the "I'm having an urge" door of Get help
        # now, and what works offline (its exercise files were checked first of all).
        from waypost.recovery.views import toolbox as toolbox_views

        toolbox_views.register()
        register_subject("check-ins", _("Daily check-ins"))
        # What a client may share with an ally: streak, check-in summary, lapse alerts.
        from waypost.recovery import ally_scopes

        ally_scopes.register()
        # The check-in is part of the client's day: it lights Today.
        nav.register("recovery:*", "today")
        # Journey lists the plans and logs from Stage 2 on; the toolbox for everyone.
        for link in (
            nav.JourneyLink(
                "recovery.plan", _("Your plan and its circles"), "recovery:plan", 60, 2
            ),
            nav.JourneyLink(
                "recovery.prevention",
                _("Your relapse-prevention plan"),
                "recovery:prevention",
                61,
                2,
            ),
            nav.JourneyLink("recovery.lapses", _("Looking back"), "recovery:lapses", 62, 2),
            nav.JourneyLink(
                "recovery.urges",
                _("Hard moments and their patterns"),
                "recovery:urge_patterns",
                63,
                2,
            ),
            nav.JourneyLink(
                "recovery.devices", _("Your device plan"), "recovery:device_plan", 64, 2
            ),
            nav.JourneyLink("recovery.toolbox", _("Toolbox"), "recovery:toolbox", 70),
        ):
            nav.add_journey_link(link)
