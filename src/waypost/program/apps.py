from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "waypost.program"
    label = "program"
