from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "waypost.intake"
    label = "intake"
