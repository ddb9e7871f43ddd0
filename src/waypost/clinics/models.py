"""The clinic (tenant), its clinicians, admins and crisis lines."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_ALERT_OVERDUE_HOURS = 24 * 14


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value})


class Clinic(models.Model):
    """A practice that runs the program; every client record belongs to one."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("web address name"), unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    default_language = models.CharField(_("default language"), max_length=10, default="en")
    require_two_factor = models.BooleanField(
        _("clinicians and admins must use two-factor sign-in"), default=True
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    about = models.TextField(_("about the clinic"), blank=True)
    # A risk alert still open after this many hours is marked overdue on the risk inbox,
    # the caseload and the admin's overview.
    alert_overdue_hours = models.PositiveSmallIntegerField(
        _("a risk alert is overdue after (hours)"),
        default=24,
        db_default=24,  # rows written outside Django (a restore, a script) get it too
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ALERT_OVERDUE_HOURS)],
    )
    # {"<stage>": {"<criterion key>": {"enabled": bool, ...params}}}; missing
    # entries fall back to each criterion's defaults (program/gates.py).
    gate_settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CrisisLine(models.Model):
    """A number or service a client can reach at once when things are hard."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="crisis_lines")
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    text = models.CharField(_("text or chat"), max_length=120, blank=True)
    url = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("hours"), max_length=80, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def tel_href(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""


def clinician_photo_path(instance: ClinicianProfile, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"clinicians/{instance.clinic_id}/{instance.user_id}.{ext}"


class ClinicianProfile(models.Model):
    """A therapist's role at a clinic, with what the public directory shows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_profiles"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="clinicians")
    title = models.CharField(_("title"), max_length=120, blank=True)
    photo = models.ImageField(_("photo"), upload_to=clinician_photo_path, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    qualifications = models.TextField(_("qualifications"), blank=True)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    bio = models.TextField(_("short bio"), blank=True, max_length=2000)
    listed = models.BooleanField(_("show in the public directory"), default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_profile_per_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.clinic})"

    @property
    def language_list(self) -> list[str]:
        return [p.strip() for p in self.languages.split(",") if p.strip()]

    @property
    def qualification_list(self) -> list[str]:
        return [p.strip() for p in self.qualifications.splitlines() if p.strip()]


class ClinicAdmin(models.Model):
    """The person may run the clinic: staff, settings, audit trail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="admin_of"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="admins")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_admin_role_per_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.user} admin of {self.clinic}"
