from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "waypost.clinics"
    label = "clinics"
