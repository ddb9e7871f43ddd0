from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "waypost.clinics"
    label = "clinics"

    def ready(self) -> None:
        from waypost.access.policy import register_role_loader
        from waypost.clinics import events, invitation_kinds
        from waypost.clinics.selectors import admin_seats_of, clinician_profiles_of

        register_role_loader("clinician_profiles", clinician_profiles_of)
        register_role_loader("admin_clinic_ids", admin_seats_of)
        invitation_kinds.register_all()
        events.register_all()
