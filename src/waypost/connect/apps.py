from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "waypost.connect"
    label = "connect"

    def ready(self) -> None:
        from django.utils.translation import gettext as _

        from waypost.access.policy import register_role_loader
        from waypost.connect import events, exports, invitation_kinds, scopes
        from waypost.connect.selectors import open_links_of, was_ever_ally
        from waypost.core.audit import register_subject

        def shared(key: str) -> str:
            scope = scopes.get(key)
            return _("Seen by an ally: %(what)s") % {"what": scope.label if scope else key}

        register_subject("shared", shared)
        from django.db.models import OuterRef

        from waypost.connect.models import AllyLink

        register_role_loader(
            "ally_links",
            open_links_of,
            probe=lambda: AllyLink.objects.filter(ally=OuterRef("pk"), ended_at__isnull=True),
        )
        register_role_loader("was_ally", was_ever_ally)
        invitation_kinds.register_all()
        events.register_all()
        exports.register()
        # Stage 3's gate, and the Connections card on the clinician's client record.
        from waypost.connect import gates, support

        gates.register()
        support.register()
