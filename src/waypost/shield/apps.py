from django.apps import AppConfig


class ShieldConfig(AppConfig):
    """The web app's side of Shield: devices, lists, counts (the resolver needs none of it)."""

    name = "waypost.shield"
    label = "shield"
    verbose_name = "Shield (the DNS filter)"
