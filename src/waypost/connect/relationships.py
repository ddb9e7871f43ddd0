"""How an ally is related to the client, as the client describes it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Relationship(models.TextChoices):
    PARTNER = "partner", _("Partner")
    FAMILY = "family", _("Family member")
    FRIEND = "friend", _("Friend")
    SPONSOR = "sponsor", _("Sponsor")
    OTHER = "other", _("Someone else I trust")


def relationship_label(value: str) -> str:
    """The words for a stored relationship; older free-text values are shown as written."""
    lowered = (value or "").strip().lower()
    if lowered in Relationship.values:
        return str(Relationship(lowered).label)
    return value or ""
