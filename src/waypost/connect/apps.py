from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "waypost.connect"
    label = "connect"

    def ready(self) -> None:
        from django.utils.translation import gettext as _

        from waypost.connect import scopes
        from waypost.core.audit import register_subject

        def shared(key: str) -> str:
            scope = scopes.get(key)
            return _("Seen by an ally: %(what)s") % {"what": scope.label if scope else key}

        register_subject("shared", shared)
