from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "waypost.assessments"
    label = "assessments"
