from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "waypost.clinics"
    label = "clinics"

    def ready(self) -> None:
        from django.db.models import OuterRef

        from waypost.access.policy import register_role_loader
        from waypost.clinics import events, invitation_kinds
        from waypost.clinics.models import ClinicAdmin, ClinicianProfile
        from waypost.clinics.selectors import admin_seats_of, clinician_profiles_of

        register_role_loader(
            "clinician_profiles",
            clinician_profiles_of,
            probe=lambda: ClinicianProfile.objects.filter(user=OuterRef("pk"), is_active=True),
        )
        register_role_loader(
            "admin_clinic_ids",
            admin_seats_of,
            probe=lambda: ClinicAdmin.objects.filter(user=OuterRef("pk")),
        )
        invitation_kinds.register_all()
        events.register_all()
