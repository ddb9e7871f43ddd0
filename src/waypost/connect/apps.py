from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "waypost.connect"
    label = "connect"
