"""The demo clinic: a realistic practice in Singapore time, loaded only by ``waypost demo``.

Everything is created through the same services the product uses, with
backdated times, so the demo shows real histories. As later features land,
they add their demo data here, so the demo always shows everything.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from waypost.accounts.models import User
from waypost.assessments.models import ClinicMeasureSettings
from waypost.clinics.models import Clinic, ClinicAdmin, ClinicianProfile, CrisisLine
from waypost.connect import scopes
from waypost.connect.services import link_ally
from waypost.program.models import Enrollment
from waypost.program.services import change_stage, enroll_client

DEMO_SLUG = "demo"
DEMO_PASSWORD = "waypost-demo"  # noqa: S105 - public, documented demo logins
DEMO_LOGINS = [
    ("admin@demo.waypost.test", "clinic admin"),
    ("clinician@demo.waypost.test", "clinician (clients 1-3)"),
    ("clinician2@demo.waypost.test", "clinician (client 4)"),
    ("client1@demo.waypost.test", "client, stage 1"),
    ("client2@demo.waypost.test", "client, stage 2"),
    ("client3@demo.waypost.test", "client, stage 3"),
    ("client4@demo.waypost.test", "client, stage 4"),
    ("ally@demo.waypost.test", "ally of client 2"),
]


class _DemoClinician(TypedDict):
    email: str
    name: str
    title: str
    languages: str
    qualifications: str
    years: int
    bio: str
    colour: tuple[int, int, int]


_CLINICIANS: list[_DemoClinician] = [
    {
        "email": "clinician@demo.waypost.test",
        "name": "Dr Mei Ling Tan",
        "title": "Clinical psychologist",
        "languages": "English, Mandarin, Hokkien",
        "qualifications": (
            "Doctor of Clinical Psychology\n"
            "Certified sex addiction therapist\n"
            "Registered psychologist, Singapore"
        ),
        "years": 14,
        "bio": (
            "Mei Ling works with adults whose online sexual behaviour has started to run their "
            "lives. Her sessions are calm and practical: understanding what the behaviour does "
            "for you, then building a plan, skills and support that fit your life."
        ),
        "colour": (61, 107, 102),
    },
    {
        "email": "clinician2@demo.waypost.test",
        "name": "Arjun Nair",
        "title": "Counsellor and group facilitator",
        "languages": "English, Tamil, Malay",
        "qualifications": (
            "Master of Counselling\n"
            "Clinical supervisor in addictions counselling\n"
            "Trained in motivational interviewing"
        ),
        "years": 9,
        "bio": (
            "Arjun runs the clinic's fortnightly therapy group and works with clients and their "
            "families. He believes nobody recovers alone, and that shame shrinks when it is met "
            "with understanding."
        ),
        "colour": (110, 86, 140),
    },
]

# (email, name, stage, clinician index, weeks since joining, stage history)
_CLIENTS = [
    ("client1@demo.waypost.test", "Daniel Lim", 1, 0, 2, []),
    (
        "client2@demo.waypost.test",
        "Wei Jie Goh",
        2,
        0,
        9,
        [
            (
                4,
                2,
                "Narrative shared in session; baseline measures done; ready to commit to 90 days.",
            )
        ],
    ),
    (
        "client3@demo.waypost.test",
        "Farid Rahman",
        3,
        0,
        20,
        [
            (5, 2, "Understands his pattern; chose a 90-day plan with a device lock-box at night."),
            (12, 3, "Steady for several weeks; wants to try a peer meeting and tell his brother."),
        ],
    ),
    (
        "client4@demo.waypost.test",
        "Marcus Teo",
        4,
        1,
        80,
        [
            (6, 2, "Motivated after reading about the 5 Cs; plan agreed."),
            (14, 3, "Ninety days completed with two lapses, both worked through in session."),
            (6, 2, "Lapse cluster after a job loss; stepping back for more structure for now."),
            (14, 3, "Stable again; rejoined the group and his sponsor."),
            (22, 4, "Attending meetings weekly; goals now about relationships and career."),
        ],
    ),
]


def _avatar_png(initials: str, colour: tuple[int, int, int]) -> bytes:
    """A simple portrait placeholder drawn for the demo (no outside images)."""
    from PIL import Image, ImageDraw, ImageFont

    size = 320
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, size, 8):
        shade = tuple(min(255, c + i // 6) for c in colour)
        draw.ellipse((i // 2, i // 2, size - i // 2, size - i // 2), outline=shade)
    try:
        font = ImageFont.load_default(size=120)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    draw.text((size / 2, size / 2), initials, fill=(244, 241, 234), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _user(email: str, name: str) -> User:
    user = User.objects.create_user(email, DEMO_PASSWORD, name=name)
    return user


def load_demo(now: datetime | None = None) -> bool:
    """Create the demo clinic if it is not there yet. Returns whether anything was created."""
    if Clinic.objects.filter(slug=DEMO_SLUG).exists():
        return False
    now = now or timezone.now()
    with transaction.atomic():
        clinic = Clinic.objects.create(
            name="Harbourside Recovery Practice",
            slug=DEMO_SLUG,
            time_zone="Asia/Singapore",
            default_language="en",
            require_two_factor=False,
            contact_email="hello@demo.waypost.test",
            contact_phone="+65 6000 0000",
            address="10 Example Road, #05-01, Singapore 000000",
            about=(
                "A small team of therapists helping adults and families affected by compulsive "
                "online sexual behaviour, in English, Mandarin, Malay and Tamil."
            ),
        )
        # The demo's clients join back-dated and bring their questionnaire histories
        # (assessments/demo_data.py), so they get no baseline at joining; that module
        # then gives the clinic the usual baseline for anyone invited from now on.
        ClinicMeasureSettings.objects.create(clinic=clinic, baseline_instruments=[])
        for position, (name, phone, text, hours, description) in enumerate(
            [
                (
                    "Emergency services",
                    "995",
                    "",
                    "24 hours",
                    "If you or someone else is in danger now.",
                ),
                (
                    "Samaritans of Singapore (SOS)",
                    "1767",
                    "WhatsApp CareText: 9151 1767",
                    "24 hours",
                    "Someone to talk to when things feel too much.",
                ),
                (
                    "IMH Mental Health Helpline",
                    "6389 2222",
                    "",
                    "24 hours",
                    "Support from the Institute of Mental Health.",
                ),
            ]
        ):
            CrisisLine.objects.create(
                clinic=clinic,
                name=name,
                phone=phone,
                text=text,
                hours=hours,
                description=description,
                position=position,
            )
        admin = _user("admin@demo.waypost.test", "Priya Raman")
        ClinicAdmin.objects.create(user=admin, clinic=clinic)
        profiles = []
        for spec in _CLINICIANS:
            user = _user(spec["email"], spec["name"])
            profile = ClinicianProfile.objects.create(
                user=user,
                clinic=clinic,
                title=spec["title"],
                languages=spec["languages"],
                qualifications=spec["qualifications"],
                years_experience=spec["years"],
                bio=spec["bio"],
            )
            initials = "".join(p[0] for p in spec["name"].replace("Dr ", "").split()[:2])
            profile.photo.save("portrait.png", ContentFile(_avatar_png(initials, spec["colour"])))
            profiles.append(profile)
        enrollments = {}
        for email, name, _stage, clinician_index, weeks, history in _CLIENTS:
            client = _user(email, name)
            profile = profiles[clinician_index]
            at = now - timedelta(weeks=weeks)
            enrollment = enroll_client(
                client=client, clinician_profile=profile, by=profile.user, at=at
            )
            for weeks_after, to_stage, reason in history:
                at = at + timedelta(weeks=weeks_after)
                change_stage(
                    enrollment=enrollment, to_stage=to_stage, reason=reason, by=profile.user, at=at
                )
            enrollments[email] = enrollment
            if email == "client2@demo.waypost.test":
                ally = _user("ally@demo.waypost.test", "Hui Min Goh")
                link_ally(
                    enrollment=enrollment,
                    ally=ally,
                    scopes=[scopes.JOURNEY],
                    relationship="Partner",
                    by=client,
                )
        context = DemoContext(now=now, clinic=clinic, clinicians=profiles, enrollments=enrollments)
        for extend in _extensions():
            extend(context)
    return True


@dataclass
class DemoContext:
    """What the core demo made, for the apps that add their own demo data to it.

    ``enrollments`` is keyed by the client's e-mail (``client1@demo.waypost.test`` …);
    ``clinicians`` follows the order of the demo clinicians (``clinician@`` first).
    """

    now: datetime
    clinic: Clinic
    clinicians: list[ClinicianProfile]
    enrollments: dict[str, Enrollment]

    def client(self, n: int) -> Enrollment:
        return self.enrollments[f"client{n}@demo.waypost.test"]


def _extensions() -> list[Callable[[DemoContext], None]]:
    """Each Waypost app's ``demo_data.load(context)``, in INSTALLED_APPS order.

    An app grows the demo by adding a ``demo_data`` module with a ``load`` function,
    so the demo always shows every feature without this file knowing them all.
    """
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("waypost."):
            continue
        module_name = f"{config.name}.demo_data"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        found.append(module.load)
    return found
