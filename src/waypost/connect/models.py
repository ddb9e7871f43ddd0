"""Allies: the people a client chooses to let in, and exactly what they may see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AllyLink(models.Model):
    """A client ↔ ally relation carrying the client's consent scopes.

    ``scopes`` lists keys from the consent-scope registry
    (``connect/scopes.py``). Withdrawing a scope or the whole link takes
    effect on the next request: nothing is cached.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="ally_links"
    )
    ally = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ally_links"
    )
    relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    scopes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "ally"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_link_per_ally",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ally} ally of {self.enrollment.client}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def allows(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes
