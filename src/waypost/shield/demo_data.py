"""Demo Shield for the clients from Stage 2 on: their devices on Shield, with a history.

The same on every load (a seeded random generator per client), plausible rather than
perfect:

- each device of clients 2–4 (a phone and a work laptop, from the device plan) went on
  Shield a day or a few after it joined the plan, and has hourly counts since: the phone
  busy from morning to late evening, the laptop in working hours;
- blocked lookups, mostly late in the evening, a few a week at first and thinning out
  later, each attempt a small burst of names (a page asks for several); every name is a
  fictional one under ``.example``, from the demo's own lists (``demo_lists``);
- client 2's work laptop has not used Shield for three days, so "Shield silent" is on
  his record, in his clinician's risk inbox and, since he shares "Shield alerts" with his
  ally, on her page too;
- "wrong block?" requests: one waiting for client 2, one kept blocked for client 3, one
  allowed for client 4.

History this old cannot go through the resolver, so the rows are stored directly, as
``sync.record`` would have; the decisions go through ``decisions``, the silence through
``silence.check`` (at the time it would have run), without e-mails.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from django.db.models import F

from waypost.connect.models import AllyLink
from waypost.connect.services import set_consent
from waypost.recovery import days, selectors
from waypost.recovery.models import Device
from waypost.shield import decisions, demo_lists, silence
from waypost.shield.clinician_selectors import ALLY_SCOPE
from waypost.shield.models import (
    BlockedLookup,
    ClinicShield,
    HourlyCount,
    ShieldDevice,
    WrongBlockRequest,
)

if TYPE_CHECKING:
    from waypost.demo import DemoContext
    from waypost.program.models import Enrollment

HOUR = timedelta(hours=1)
# (category, share of the attempts)
CATEGORIES = (("adult", 0.72), ("dating", 0.12), ("gambling", 0.1), ("bypass", 0.06))
# A page asks for a few names at once: the site itself and one or two of its helpers.
HELPERS = ("www", "cdn", "img", "static", "media")


@dataclass(frozen=True)
class Profile:
    seed: int
    attempts_per_week: float  # at the start; a fifth of it by the end
    silent_laptop: bool = False


PROFILES = {
    2: Profile(seed=22, attempts_per_week=6.0, silent_laptop=True),
    3: Profile(seed=33, attempts_per_week=5.0),
    4: Profile(seed=44, attempts_per_week=2.0),
}


def load(context: DemoContext) -> None:
    ClinicShield.objects.get_or_create(
        clinic=context.clinic,
        defaults={
            "categories": ["adult", "dating", "gambling", "bypass"],
            "safesearch": "strict",
            "silence_hours": 24,
        },
    )
    now = context.now
    for n, profile in PROFILES.items():
        _history(context.client(n), profile, now)
    _requests(context, now)
    # The silence check as it ran two days ago: client 2's laptop had been quiet a day.
    silence.check(
        now - timedelta(days=2),
        notify=False,
        enrollment_ids=[context.client(n).pk for n in PROFILES],
    )
    # Queries from this machine (dig @127.0.0.1 -p 5353 …) count as client 3's phone, as if
    # it sat behind a home router linked to it: the demo's Shield refuses unknown addresses.
    phone = (
        ShieldDevice.objects.filter(device__enrollment=context.client(3), device__kind="phone")
        .order_by("pk")
        .first()
    )
    if phone is not None:
        ShieldDevice.objects.filter(pk=phone.pk).update(linked_address="127.0.0.1")
    # Client 2 shares "Shield alerts" with his ally, beside his journey.
    client2 = context.client(2)
    link = AllyLink.objects.filter(enrollment=client2, ended_at__isnull=True).first()
    if link is not None:
        set_consent(link=link, scopes=[*link.scopes, ALLY_SCOPE], by=client2.client)


def _history(enrollment: Enrollment, profile: Profile, now: datetime) -> None:
    rng = random.Random(profile.seed)  # noqa: S311 — demo data, not security
    zone = days.zone_named(selectors.client_time_zone(enrollment))
    devices = list(
        Device.objects.filter(enrollment=enrollment, retired_at__isnull=True).order_by(
            "created_at", "pk"
        )
    )
    for position, device in enumerate(devices):
        laptop = device.kind == Device.Kind.COMPUTER
        start = (device.created_at + timedelta(days=1 + 2 * position)).replace(
            minute=0, second=0, microsecond=0
        )
        if profile.silent_laptop and laptop:
            last_seen = now - timedelta(days=3, hours=1, minutes=rng.randint(0, 50))
        else:
            last_seen = now - timedelta(minutes=rng.randint(1, 25))
        shield_device = ShieldDevice.objects.create(
            device=device, created_at=start, last_seen_at=last_seen
        )
        counts: defaultdict[datetime, list[int]] = defaultdict(lambda: [0, 0])
        hour = start
        while hour <= last_seen:
            local = hour.astimezone(zone)
            counts[hour][0] += _allowed(local, laptop=laptop, rng=rng)
            hour += HOUR
        lookups = _blocked(shield_device, start, last_seen, profile, rng, zone=zone, laptop=laptop)
        for lookup in lookups:
            counts[lookup.at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)][1] += 1
        HourlyCount.objects.bulk_create(
            (
                HourlyCount(shield_device=shield_device, hour=at, allowed=a, blocked=b)
                for at, (a, b) in counts.items()
                if a or b
            ),
            batch_size=1000,
        )
        BlockedLookup.objects.bulk_create(lookups, batch_size=500)


def _allowed(local: datetime, *, laptop: bool, rng: random.Random) -> int:
    """Lookups in one hour: a phone from morning to late evening, a laptop at work."""
    hour, weekend = local.hour, local.weekday() >= 5
    if laptop:
        if not weekend and 9 <= hour < 18:
            return rng.randint(60, 260)
        return rng.randint(0, 6) if 19 <= hour < 22 else 0
    if 7 <= hour < 24:
        return rng.randint(25, 180)
    return rng.randint(0, 8)


def _blocked(
    shield_device: ShieldDevice,
    start: datetime,
    end: datetime,
    profile: Profile,
    rng: random.Random,
    *,
    zone: tzinfo,
    laptop: bool,
) -> list[BlockedLookup]:
    """A few attempts a week at first, thinning out; mostly the phone, mostly at night."""
    per_day = profile.attempts_per_week / 7 * (0.35 if laptop else 1.0)
    span = max((end - start).days, 1)
    out = []
    for offset in range(span):
        progress = offset / span
        if rng.random() >= per_day * (1 - 0.8 * progress):
            continue
        day = (start + timedelta(days=offset)).astimezone(zone).date()
        hour = rng.choice((21, 22, 22, 23, 23, 24, 25, 14))  # 24, 25: after midnight
        when = datetime.combine(day, time(), tzinfo=zone) + timedelta(
            hours=hour, minutes=rng.randint(0, 59)
        )
        if not start <= when <= end:
            continue
        category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
        prefix = demo_lists.PREFIX[category]
        site = f"{prefix}-{rng.randint(1, demo_lists.PER_CATEGORY[category])}.example"
        names = [site, *(f"{h}.{site}" for h in rng.sample(HELPERS, rng.randint(0, 2)))]
        for i, name in enumerate(names):
            out.append(
                BlockedLookup(
                    shield_device=shield_device,
                    at=when + timedelta(seconds=i),
                    name=name,
                    category=category,
                )
            )
    return out


def _requests(context: DemoContext, now: datetime) -> None:
    """One request waiting (client 2), one kept blocked (client 3), one allowed (client 4)."""
    waiting = [
        (2, "dating-demo-7.example", "It's the photographer my sister booked for her wedding.", 2),
        (3, "private-dns-demo-3.example", "Is this my work VPN? The laptop asks for it.", 12),
        (
            4,
            "betting-demo-11.example",
            "The football league my son plays in posts results here.",
            25,
        ),
    ]
    for n, name, note, days_ago in waiting:
        enrollment = context.client(n)
        asked = now - timedelta(days=days_ago, hours=3)
        phone = ShieldDevice.objects.filter(device__enrollment=enrollment).first()
        if phone is not None:
            category = "dating" if "dating" in name else "bypass" if "dns" in name else "gambling"
            at = asked - timedelta(minutes=4)
            BlockedLookup.objects.create(shield_device=phone, at=at, name=name, category=category)
            hour = at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
            counted, _new = HourlyCount.objects.get_or_create(
                shield_device=phone, hour=hour, defaults={"allowed": 0, "blocked": 0}
            )
            HourlyCount.objects.filter(pk=counted.pk).update(blocked=F("blocked") + 1)
        wrong_block = WrongBlockRequest.objects.create(
            enrollment=enrollment, name=name, note=note, created_at=asked
        )
        if n == 2:
            continue
        decisions.decide_request(
            wrong_block=wrong_block,
            by=enrollment.primary_clinician.user,
            allow=n == 4,
            at=asked + timedelta(hours=20),
        )
