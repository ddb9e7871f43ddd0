from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "waypost.access"
    label = "access"
    verbose_name = "Access policy"
