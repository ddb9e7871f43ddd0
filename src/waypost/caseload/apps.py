from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "waypost.caseload"
    label = "caseload"
