"""The fixed cast every access test uses, built in code (no fixture files).

- clinic "north" with: admin, clinician (primary clinician of client),
  other_clinician (same clinic, not theirs), client (stage 2)
- clinic "south" with: foreign_clinician and their own client
- allies of client: ally_none (no scopes), one ally per consent scope
  (``allies[scope]``), ally_all (every scope), ally_ended (link withdrawn)
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from waypost.access.policy import forget_roles
from waypost.accounts.models import User
from waypost.assessments.models import ClinicMeasureSettings
from waypost.clinics.models import Clinic, ClinicAdmin, ClinicianProfile, CrisisLine
from waypost.connect import scopes as scope_registry
from waypost.connect.models import AllyLink
from waypost.connect.services import end_link, link_ally
from waypost.program.models import Enrollment
from waypost.program.services import change_stage, enroll_client

PASSWORD = "a-long-test-password"


@dataclass
class Cast:
    clinic: Clinic
    other_clinic: Clinic
    admin: User
    clinician: User
    clinician_profile: ClinicianProfile
    other_clinician: User
    foreign_clinician: User
    client: User
    enrollment: Enrollment
    foreign_client: User
    foreign_enrollment: Enrollment
    ally_none: User
    ally_all: User
    ally_ended: User
    allies: dict[str, User] = field(default_factory=dict)
    links: dict[str, AllyLink] = field(default_factory=dict)

    def role(self, name: str) -> User | None:
        """The user for a role name used in the role test; None means anonymous."""
        if name == "anonymous":
            return None
        if name.startswith("ally_scope_"):
            return self.allies[name.removeprefix("ally_scope_")]
        return getattr(self, name)


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (60, 100, 100)).save(out, format="PNG")
    return out.getvalue()


def make_user(email: str, name: str, **extra: Any) -> User:
    return User.objects.create_user(email, PASSWORD, name=name, **extra)


def build_cast() -> Cast:
    clinic = Clinic.objects.create(
        name="North Clinic", slug="north", time_zone="Asia/Singapore", require_two_factor=False
    )
    CrisisLine.objects.create(
        clinic=clinic, name="North crisis line", phone="1767", hours="24 hours"
    )
    other = Clinic.objects.create(
        name="South Clinic", slug="south", time_zone="Europe/London", require_two_factor=False
    )
    CrisisLine.objects.create(clinic=other, name="South crisis line", phone="116 123")
    # The cast's clients start with no questionnaires, so each test assigns what it needs;
    # tests/assessments/test_baseline_on_enrollment.py covers the clinic's baseline.
    for each in (clinic, other):
        ClinicMeasureSettings.objects.create(clinic=each, baseline_instruments=[])
    admin = make_user("admin@north.test", "Ada Admin")
    ClinicAdmin.objects.create(user=admin, clinic=clinic)
    clinician = make_user("clinician@north.test", "Cleo Clinician")
    profile = ClinicianProfile.objects.create(
        user=clinician, clinic=clinic, languages="English", years_experience=5, bio="Kind."
    )
    profile.photo.save("p.png", ContentFile(tiny_png()))
    other_clinician = make_user("other@north.test", "Otto Other")
    ClinicianProfile.objects.create(user=other_clinician, clinic=clinic)
    foreign_clinician = make_user("foreign@south.test", "Fern Foreign")
    foreign_profile = ClinicianProfile.objects.create(user=foreign_clinician, clinic=other)
    client = make_user("client@north.test", "Sam Client")
    enrollment = enroll_client(
        client=client,
        clinician_profile=profile,
        by=clinician,
        at=timezone.now() - timedelta(days=30),
    )
    change_stage(
        enrollment=enrollment, to_stage=2, reason="Ready to commit to a plan.", by=clinician
    )
    foreign_client = make_user("client@south.test", "Fay Faraway")
    foreign_enrollment = enroll_client(
        client=foreign_client, clinician_profile=foreign_profile, by=foreign_clinician
    )
    allies: dict[str, User] = {}
    links: dict[str, AllyLink] = {}
    for scope in scope_registry.all_scopes():
        ally = make_user(f"ally-{scope.key}@north.test", f"Ally {scope.key}")
        links[scope.key] = link_ally(
            enrollment=enrollment, ally=ally, scopes=[scope.key], by=client
        )
        allies[scope.key] = ally
    ally_none = make_user("ally-none@north.test", "Nell Nothing")
    links["none"] = link_ally(enrollment=enrollment, ally=ally_none, scopes=[], by=client)
    ally_all = make_user("ally-all@north.test", "Alex Everything")
    links["all"] = link_ally(
        enrollment=enrollment,
        ally=ally_all,
        scopes=[s.key for s in scope_registry.all_scopes()],
        by=client,
    )
    ally_ended = make_user("ally-ended@north.test", "Eddie Ended")
    links["ended"] = link_ally(
        enrollment=enrollment,
        ally=ally_ended,
        scopes=[s.key for s in scope_registry.all_scopes()],
        by=client,
    )
    end_link(link=links["ended"], by=client)
    for user in (client, clinician):
        forget_roles(user)
    enrollment.refresh_from_db()
    return Cast(
        clinic=clinic,
        other_clinic=other,
        admin=admin,
        clinician=clinician,
        clinician_profile=profile,
        other_clinician=other_clinician,
        foreign_clinician=foreign_clinician,
        client=client,
        enrollment=enrollment,
        foreign_client=foreign_client,
        foreign_enrollment=foreign_enrollment,
        ally_none=ally_none,
        ally_all=ally_all,
        ally_ended=ally_ended,
        allies=allies,
        links=links,
    )
