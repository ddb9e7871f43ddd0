"""People, their invitations and their API tokens.

A person's roles are not flags on the user: they are the relations that point
at the user (clinician profile, clinic admin membership, enrollment as a
client, ally link). One person may hold several.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


PHONE_MAX_LENGTH = 30

# Lenient on purpose: people write numbers their own way ("+65 9123 4567", "(020) 7946-0958").
validate_phone = RegexValidator(
    r"^[0-9+\-() ]*[0-9][0-9+\-() ]*$",
    _("Please use only digits, spaces, +, - and brackets."),
)


def tel_href(phone: str) -> str:
    """A ``tel:`` link for a number as people write it ("" when it has no digits)."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if any(ch.isdigit() for ch in digits) else ""


# What Django's own session hash is salted with (AbstractBaseUser.get_session_auth_hash).
_SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address.

    ``phone`` is optional and encrypted at rest: a client gives it so their
    clinician can call when a risk alert needs it (the risk inbox shows it with a
    call link, the client record beside the e-mail).

    ``email_reminders`` and the quiet hours are the person's notification choices
    (``accounts.notifications`` applies them). ``session_salt`` changes when they
    sign out everywhere: every session signed with the old value stops working
    (:meth:`get_session_auth_hash`).
    """

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    phone = EncryptedTextField(_("phone number"), blank=True, default="")
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Notification choices. Quiet hours are local times in the person's time zone (their
    # own, else their clinic's); both or neither. A start after the end spans midnight.
    email_reminders = models.BooleanField(_("reminders by e-mail"), default=True)
    quiet_hours_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    # Mixed into the session hash; a new value signs out every other session.
    session_salt = models.CharField(max_length=32, blank=True, default="", editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)

    def get_short_name(self) -> str:
        # Names do not split into "first" and "last" the same way everywhere
        # (Tan Wei Ling is addressed as Wei Ling), so we use the whole name.
        return self.name or self.email

    @property
    def has_quiet_hours(self) -> bool:
        return (
            self.quiet_hours_start is not None
            and self.quiet_hours_end is not None
            and self.quiet_hours_start != self.quiet_hours_end
        )

    # Sessions. Django keeps a hash of the password in each session and signs the
    # session out when it no longer matches (that is how a new password ends the
    # others). We mix ``session_salt`` into that hash, so a new salt does the same
    # without a new password. With no salt the hash is Django's own, so sessions
    # made before the salt existed stay valid.

    def _session_hash(self, secret: str | bytes) -> str:
        value = f"{self.password}:{self.session_salt}" if self.session_salt else self.password
        return salted_hmac(_SESSION_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()

    def get_session_auth_hash(self) -> str:
        return self._session_hash(settings.SECRET_KEY)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(fallback)

    def new_session_salt(self) -> None:
        """Choose a new salt (save it to sign out every session made with the old one)."""
        self.session_salt = secrets.token_hex(16)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Invitation(models.Model):
    """A single-use, expiring link that gives the person who opens it a role."""

    class Kind(models.TextChoices):
        CLINICIAN = "clinician", _("Clinician")
        ADMIN = "admin", _("Clinic admin")
        CLIENT = "client", _("Client")
        ALLY = "ally", _("Ally")

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # What the role needs: primary clinician for a client, enrollment and
    # consent scopes for an ally.
    primary_clinician = models.ForeignKey(
        "clinics.ClinicianProfile", null=True, blank=True, on_delete=models.CASCADE
    )
    enrollment = models.ForeignKey(
        "program.Enrollment", null=True, blank=True, on_delete=models.CASCADE
    )
    relationship = models.CharField(max_length=60, blank=True)
    scopes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} invitation for {self.email}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, hash_token(raw)

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiToken(models.Model):
    """A personal access token for the API; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
