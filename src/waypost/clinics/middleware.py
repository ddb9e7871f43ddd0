"""The viewer's time zone and language, from their own choice or their clinic's."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from waypost.access.policy import roles_of
from waypost.clinics.models import Clinic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest, HttpResponseBase

    from waypost.accounts.models import User


def _home_clinic(user: User) -> Clinic | None:
    roles = roles_of(user)
    for enrollment in roles.enrollments:
        return enrollment.clinic
    for profile in roles.clinician_profiles:
        return profile.clinic
    for link in roles.ally_links:
        return link.enrollment.clinic
    if roles.admin_clinic_ids:
        return Clinic.objects.filter(pk__in=roles.admin_clinic_ids).order_by("pk").first()
    return None


def time_zone_for(user: User | AnonymousUser | None) -> str | None:
    """The viewer's own time zone, else that of the clinic they belong to."""
    if not user or not user.is_authenticated:
        return None
    if user.time_zone:
        return user.time_zone
    clinic = _home_clinic(user)
    return clinic.time_zone if clinic else None


def language_for(user: User | AnonymousUser | None) -> str | None:
    """The viewer's chosen language, else their clinic's default, if the app offers it."""
    from django.conf import settings

    if not user or not user.is_authenticated:
        return None
    offered = {code for code, _name in settings.LANGUAGES}
    if user.language in offered:
        return user.language
    clinic = _home_clinic(user)
    if clinic and clinic.default_language in offered:
        return clinic.default_language
    return None


class TimeZoneMiddleware:
    """Store UTC, show the viewer's time zone; speak the viewer's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        import zoneinfo

        from django.utils import timezone

        name = time_zone_for(getattr(request, "user", None))
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        language = language_for(getattr(request, "user", None))
        if language:
            from django.utils import translation

            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
