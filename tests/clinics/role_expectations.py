from datetime import timedelta

from django.utils import timezone

from tests.roles import EVERYONE, Route

ADMIN = frozenset({"admin"})
CLINICIANS = frozenset({"clinician", "other_clinician", "foreign_clinician"})


def _north(cast, **extra) -> dict:
    return {"slug": cast.clinic.slug, **extra}


def _line(cast) -> dict:
    return _north(cast, line_id=cast.clinic.crisis_lines.first().pk)


def _other_profile(cast) -> dict:
    from waypost.clinics.models import ClinicianProfile

    profile = ClinicianProfile.objects.get(user=cast.other_clinician, clinic=cast.clinic)
    return _north(cast, profile_id=profile.pk)


def _pending_invitation(cast) -> dict:
    from waypost.accounts.models import Invitation

    invitation = Invitation.objects.create(
        clinic=cast.clinic,
        kind=Invitation.Kind.CLINICIAN,
        email="new@north.test",
        invited_by=cast.admin,
        token_hash="0" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return _north(cast, invitation_id=invitation.pk)


def _new_clinician(cast) -> dict:
    from waypost.clinics.models import ClinicianProfile

    return {"clinician": ClinicianProfile.objects.get(user=cast.other_clinician).pk}


ROUTES = [
    # the public directory
    Route("clinics:directory", EVERYONE),
    Route("clinics:clinic", EVERYONE, kwargs=lambda cast: {"slug": cast.clinic.slug}),
    Route(
        "clinics:specialist",
        EVERYONE,
        kwargs=lambda cast: {"slug": cast.clinic.slug, "profile_id": cast.clinician_profile.pk},
    ),
    Route(
        "clinics:photo",
        EVERYONE,
        kwargs=lambda cast: {"slug": cast.clinic.slug, "profile_id": cast.clinician_profile.pk},
    ),
    # the clinician's own profile
    Route("clinics:my_profile", CLINICIANS, note="each clinician edits their own profile"),
    Route(
        "clinics:my_photo",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"profile_id": cast.clinician_profile.pk},
        note="only the clinician themself; the public uses clinics:photo",
    ),
    # the clinic admin of north; the admin of no other clinic
    Route("clinics:manage_index", ADMIN),
    Route("clinics:settings", ADMIN, kwargs=_north),
    Route("clinics:crisis_lines", ADMIN, kwargs=_north),
    Route("clinics:crisis_line_edit", ADMIN, kwargs=_line),
    Route("clinics:crisis_line_delete", ADMIN, kwargs=_line, note="GET asks to confirm"),
    Route(
        "clinics:crisis_line_move",
        ADMIN,
        kwargs=_line,
        method="post",
        data=lambda cast: {"direction": "down"},
    ),
    Route("clinics:gates", ADMIN, kwargs=_north),
    Route("clinics:staff", ADMIN, kwargs=_north),
    Route("clinics:invite", ADMIN, kwargs=_north),
    Route(
        "clinics:revoke_invitation",
        ADMIN,
        kwargs=_pending_invitation,
        method="post",
    ),
    Route(
        "clinics:deactivate_clinician",
        ADMIN,
        kwargs=_other_profile,
        note="GET asks to confirm",
    ),
    Route(
        "clinics:reactivate_clinician",
        ADMIN,
        kwargs=_other_profile,
        method="post",
    ),
    Route("clinics:roster", ADMIN, kwargs=_north),
    Route(
        "clinics:reassign",
        ADMIN,
        kwargs=lambda cast: _north(cast, enrollment_id=cast.enrollment.pk),
        method="post",
        data=_new_clinician,
    ),
    Route("clinics:audit", ADMIN, kwargs=_north),
]
