"""What the web app knows about Shield: devices and their identities, lists, counts, blocks.

A ``ShieldDevice`` is a device of the client's device plan (``recovery.Device``) pointed at
Shield. Its ``token`` is its identity: the DoH path ``/dns-query/<token>`` and the DoT name
``<token>.<shield host>``; a home router is known by ``linked_address`` instead.

What Shield reports back, with the client's consent to the program: allowed lookups only
as a number per device and hour (``HourlyCount``), never by name; blocked lookups with the
name (encrypted at rest: it says something intimate), category and time (``BlockedLookup``).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField

# lower-case base32: a valid host label (a token is an identity, not a password: it is in
# the device's settings, and it only names which device's policy applies)
TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # noqa: S105
TOKEN_LENGTH = 26  # 130 bits


def new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


class ShieldDevice(models.Model):
    device = models.OneToOneField(
        "recovery.Device", on_delete=models.CASCADE, related_name="shield"
    )
    token = models.CharField(max_length=TOKEN_LENGTH, unique=True, default=new_token)
    # plain DNS from a home router: the router's public address
    linked_address = models.GenericIPAddressField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # Urge lockdown: only the allow-list resolves until then.
    lockdown_until = models.DateTimeField(null=True, blank=True)
    # When the current silence was raised as "Shield silent" (None: not silent, or not yet
    # raised); cleared when the device is heard from again.
    silence_raised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Shield for device {self.device_id}"


class HourlyCount(models.Model):
    """Lookups of one device in one hour: only counted, never named when allowed."""

    shield_device = models.ForeignKey(ShieldDevice, on_delete=models.CASCADE, related_name="hours")
    hour = models.DateTimeField()  # the hour's start, UTC
    allowed = models.PositiveIntegerField(default=0)
    blocked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shield_device", "hour"], name="shield_hour_once")
        ]

    def __str__(self) -> str:
        return f"{self.allowed}+{self.blocked} lookups of {self.shield_device_id} at {self.hour}"


class BlockedLookup(models.Model):
    shield_device = models.ForeignKey(
        ShieldDevice, on_delete=models.CASCADE, related_name="blocked_lookups"
    )
    at = models.DateTimeField()
    name = EncryptedTextField(_("name"))
    category = models.CharField(max_length=16)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["shield_device", "at"], name="shield_blocked_by_time")]

    def __str__(self) -> str:
        return f"blocked {self.category} lookup of {self.shield_device_id} at {self.at}"


class ListEntry(models.Model):
    """A name (and everything below it) allowed or blocked for a clinic or for one client."""

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=253)
    allow = models.BooleanField()  # False: block
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(clinic__isnull=True) ^ Q(enrollment__isnull=True),
                name="shield_list_entry_for_clinic_or_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{'allow' if self.allow else 'block'} {self.name}"


#: How long a device may be quiet before "Shield silent": a couple of hours (a phone off
#: overnight is not silent) to a week. The database holds every clinic to it, so that a
#: list can pass over devices heard from within the shortest time (``silence``).
SILENCE_HOURS_MIN = 2
SILENCE_HOURS_MAX = 168


class ClinicShield(models.Model):
    """A clinic's Shield policy; clinics without one get the defaults."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    categories = models.JSONField(default=list)  # blocked categories; empty: the default set
    safesearch = models.CharField(max_length=10, default="strict")
    # A device silent for longer than this raises "Shield silent".
    silence_hours = models.PositiveSmallIntegerField(default=24)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    silence_hours__gte=SILENCE_HOURS_MIN, silence_hours__lte=SILENCE_HOURS_MAX
                ),
                name="shield_silence_hours_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Shield settings of clinic {self.clinic_id}"


class ClientShield(models.Model):
    """What one client's Shield blocks beyond the clinic's categories."""

    enrollment = models.OneToOneField(
        "program.Enrollment", on_delete=models.CASCADE, related_name="+"
    )
    # Public DNS, DoH/DoT resolvers, VPN and proxy services: the usual ways around a filter.
    block_bypass = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Shield settings of enrollment {self.enrollment_id}"


class WrongBlockRequest(models.Model):
    """The client thinks a name was blocked by mistake; their clinician decides."""

    enrollment = models.ForeignKey("program.Enrollment", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=253)
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allowed = models.BooleanField(null=True)  # the decision: allowed, or kept blocked

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"wrong-block request {self.pk} of enrollment {self.enrollment_id}"
