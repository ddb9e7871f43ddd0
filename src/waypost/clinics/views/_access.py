"""The one way clinic pages find their clinic: by slug, then through the policy."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from waypost.access.policy import Action, require
from waypost.clinics.models import Clinic


def clinic_for(request: HttpRequest, slug: str, action: Action = Action.MANAGE_CLINIC) -> Clinic:
    """The clinic named by ``slug`` if the signed-in person may ``action`` it; else 404/403."""
    clinic = get_object_or_404(Clinic, slug=slug)
    require(request.user, action, clinic)
    return clinic
