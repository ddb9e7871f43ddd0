"""(being written)"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []


def register() -> None:
    """Registries this module fills (panels, next steps, columns …), from ShieldConfig.ready()."""
