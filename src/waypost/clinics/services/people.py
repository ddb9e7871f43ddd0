"""A clinic's people: inviting and deactivating staff, the roster, a clinician's profile."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.access.policy import Action, forget_roles, require
from waypost.accounts.models import Invitation, User
from waypost.accounts.services import create_invitation
from waypost.clinics import events as clinic_events
from waypost.clinics.models import (
    Clinic,
    ClinicAdmin,
    ClinicianProfile,
)
from waypost.clinics.photos import CleanPhoto
from waypost.clinics.services.common import STAFF_KINDS, ClinicError
from waypost.core import events
from waypost.program.models import Enrollment

# --- staff ------------------------------------------------------------------------


def invite_staff(*, clinic: Clinic, kind: str, email: str, name: str, by: User) -> Invitation:
    """Invite a clinician or a clinic admin by e-mail, unless they already have that role."""
    require(by, Action.INVITE_CLINICIAN, clinic)
    if kind not in STAFF_KINDS:
        raise ClinicError(_("Please choose whether they join as a clinician or an admin."))
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if kind == Invitation.Kind.CLINICIAN and user is not None:
        profile = ClinicianProfile.objects.filter(user=user, clinic=clinic).first()
        if profile is not None and profile.is_active:
            raise ClinicError(_("%(name)s is already a clinician here.") % {"name": user})
        if profile is not None:
            raise ClinicError(
                _(
                    "%(name)s has a clinician profile here that is switched off. "
                    "You can switch it back on in the staff list."
                )
                % {"name": user}
            )
    if (
        kind == Invitation.Kind.ADMIN
        and user is not None
        and ClinicAdmin.objects.filter(user=user, clinic=clinic).exists()
    ):
        raise ClinicError(_("%(name)s is already an admin here.") % {"name": user})
    waiting = Invitation.objects.filter(
        clinic=clinic,
        kind=kind,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if waiting.exists():
        raise ClinicError(
            _(
                "An invitation to this address is already waiting. "
                "Withdraw it first if you'd like to send a new one."
            )
        )
    with transaction.atomic():
        invitation, _raw = create_invitation(
            kind=kind, clinic=clinic, email=email, name=name, by=by
        )
    return invitation


def revoke_staff_invitation(*, invitation: Invitation, by: User) -> None:
    """Withdraw an unused clinician or admin invitation; any admin of the clinic may.

    ``accounts.services.revoke_invitation`` lets only the sender withdraw; a
    clinic's admins share the job of managing staff, so here any of them may.
    """
    require(by, Action.MANAGE_CLINIC, invitation.clinic)
    if invitation.kind not in STAFF_KINDS:
        raise PermissionDenied
    if invitation.accepted_at is not None:
        raise ClinicError(_("This invitation has already been used, so it can't be withdrawn."))
    with transaction.atomic():
        Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())


def deactivate_clinician(*, profile: ClinicianProfile, by: User) -> ClinicianProfile:
    """Switch a clinician's role at the clinic off; they keep their account.

    Refused while they are still the primary clinician of active clients:
    those clients would otherwise have nobody who can open their record.
    """
    require(by, Action.MANAGE_CLINIC, profile.clinic)
    with transaction.atomic():
        current = ClinicianProfile.objects.select_for_update().get(pk=profile.pk)
        clients = current.enrollments.filter(status=Enrollment.Status.ACTIVE).count()
        if clients:
            raise ClinicError(
                ngettext(
                    "%(name)s is still the clinician of %(n)d active client. "
                    "Please give them another clinician in the client list first.",
                    "%(name)s is still the clinician of %(n)d active clients. "
                    "Please give them another clinician in the client list first.",
                    clients,
                )
                % {"name": current.user, "n": clients}
            )
        current.is_active = False
        current.save(update_fields=["is_active"])
    profile.is_active = False
    forget_roles(profile.user)
    return profile


def reactivate_clinician(*, profile: ClinicianProfile, by: User) -> ClinicianProfile:
    """Switch a clinician's role at the clinic back on."""
    require(by, Action.MANAGE_CLINIC, profile.clinic)
    with transaction.atomic():
        ClinicianProfile.objects.filter(pk=profile.pk).update(is_active=True)
    profile.is_active = True
    forget_roles(profile.user)
    return profile


# --- roster -----------------------------------------------------------------------


def reassign_primary_clinician(
    *, enrollment: Enrollment, clinician_profile: ClinicianProfile, by: User
) -> Enrollment:
    """Give a client another primary clinician of the same clinic; timeline and audit record it."""
    require(by, Action.MANAGE_CLINIC, enrollment.clinic)
    if clinician_profile.clinic_id != enrollment.clinic_id or not clinician_profile.is_active:
        raise ClinicError(_("Please choose an active clinician of this clinic."))
    with transaction.atomic():
        current = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if current.status != Enrollment.Status.ACTIVE:
            raise ClinicError(_("This client is no longer active in the program."))
        if current.primary_clinician_id == clinician_profile.pk:
            raise ClinicError(
                _("%(name)s is already this client's clinician.")
                % {"name": clinician_profile.user.name}
            )
        previous = current.primary_clinician_id
        current.primary_clinician = clinician_profile
        current.save(update_fields=["primary_clinician"])
        events.record(
            enrollment=current,
            kind=clinic_events.CLINICIAN_CHANGED,
            actor=by,
            data={
                "from": previous,
                "to": clinician_profile.pk,
                "name": clinician_profile.user.name,
            },
        )
    enrollment.primary_clinician = clinician_profile
    return enrollment


# --- the clinician's own profile --------------------------------------------------


def update_own_profile(
    *,
    profile: ClinicianProfile,
    by: User,
    title: str,
    languages: str,
    qualifications: str,
    years_experience: int,
    bio: str,
    listed: bool,
    photo: CleanPhoto | None = None,
    remove_photo: bool = False,
) -> ClinicianProfile:
    """Save what the public directory shows about the clinician; only they may.

    ``photo`` must already be checked and re-encoded (``photos.clean_photo``).
    Languages are stored as one comma-separated line without duplicates.
    """
    if profile.user_id != getattr(by, "pk", None) or not profile.is_active:
        raise PermissionDenied
    if years_experience < 0:
        raise ClinicError(_("Years of experience can't be below zero."))
    seen: list[str] = []
    for part in languages.split(","):
        part = " ".join(part.split())
        if part and part.casefold() not in {s.casefold() for s in seen}:
            seen.append(part)
    profile.title = title.strip()
    profile.languages = ", ".join(seen)
    profile.qualifications = "\n".join(
        line.strip() for line in qualifications.splitlines() if line.strip()
    )
    profile.years_experience = years_experience
    profile.bio = bio.strip()
    profile.listed = listed
    fields = ["title", "languages", "qualifications", "years_experience", "bio", "listed"]
    old_name = profile.photo.name if profile.photo else ""
    storage = profile.photo.storage
    with transaction.atomic():
        if photo is not None:
            profile.photo.save(f"portrait.{photo.extension}", ContentFile(photo.data), save=False)
            fields.append("photo")
        elif remove_photo and old_name:
            profile.photo = ""
            fields.append("photo")
        profile.save(update_fields=fields)
        new_name = profile.photo.name if profile.photo else ""
        if old_name and old_name != new_name:
            # Delete the old file only once the new state is committed.
            transaction.on_commit(lambda: storage.delete(old_name))
    return profile
