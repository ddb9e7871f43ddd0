"""Allies: the people a client chooses to let in, exactly what they may see, family
sessions recorded with the clinician, and the ally's own private wellbeing check-in."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField


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


class FamilySession(models.Model):
    """A family or partner session, recorded by the primary clinician with the client's consent.

    Who took part: the client's allies, by their links, and anyone else by name and
    relationship (``others``, one per line). What was talked about (``topics``) is
    the clinician's; the agreements are the client's too and show on their Connect
    page. Free text is encrypted. A session is never recorded without the client's
    agreement (``client_consented``, also a database rule).
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="family_sessions"
    )
    held_on = models.DateField(_("date of the session"))
    allies = models.ManyToManyField(AllyLink, blank=True, related_name="family_sessions")
    others = EncryptedTextField(_("others who took part"), blank=True)
    topics = EncryptedTextField(_("what was talked about"), blank=True)
    agreements = EncryptedTextField(_("agreements"), blank=True)
    client_consented = models.BooleanField(_("the client agreed to this record"))
    # The form's own id (ARCHITECTURE rule 6): the same form sent twice is kept once.
    client_uuid = models.UUIDField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client_consented=True), name="family_session_has_consent"
            ),
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="one_family_session_per_form"
            ),
        ]
        # An enrollment's sessions, newest first: the record, the client's Connect page.
        indexes = [models.Index(fields=["enrollment", "held_on"], name="family_session_by_day")]

    def __str__(self) -> str:
        return f"family session of enrollment {self.enrollment_id} on {self.held_on}"

    @property
    def other_people(self) -> list[str]:
        """The others who took part, one per line as the clinician wrote them."""
        return [line.strip() for line in self.others.splitlines() if line.strip()]


WELLBEING_MIN, WELLBEING_MAX = 1, 5
# How the ally is doing, 1 to 5, in words.
FEELINGS = [
    (1, _("Struggling")),
    (2, _("Low")),
    (3, _("Getting by")),
    (4, _("Okay")),
    (5, _("Good")),
]


class AllyWellbeingCheckIn(models.Model):
    """An ally's own short check-in: how they are doing, for themselves alone.

    Never shown to the client or the clinician, not on any timeline, not audited as
    part of anyone's record: it is the ally's. The note is encrypted.
    """

    class Sleep(models.TextChoices):
        POORLY = "poorly", _("Slept badly")
        OKAY = "okay", _("Slept okay")
        WELL = "well", _("Slept well")

    class Stress(models.TextChoices):
        CALM = "calm", _("Fairly calm")
        SOME = "some", _("Some stress")
        HIGH = "high", _("A lot of stress")

    class Support(models.TextChoices):
        SUPPORTED = "supported", _("I feel supported")
        SOME = "some", _("Some support")
        ALONE = "alone", _("I feel alone with this")

    ally = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_check_ins"
    )
    client_uuid = models.UUIDField()
    feeling = models.PositiveSmallIntegerField(
        _("how you are doing"),
        validators=[MinValueValidator(WELLBEING_MIN), MaxValueValidator(WELLBEING_MAX)],
    )
    sleep = models.CharField(_("sleep"), max_length=8, choices=Sleep.choices, blank=True)
    stress = models.CharField(_("stress"), max_length=8, choices=Stress.choices, blank=True)
    support = models.CharField(_("support"), max_length=10, choices=Support.choices, blank=True)
    note = EncryptedTextField(_("a private note"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A form sent twice (a double tap, a retry) is kept once.
            models.UniqueConstraint(
                fields=["ally", "client_uuid"], name="ally_wellbeing_client_uuid_once"
            ),
            models.CheckConstraint(
                condition=models.Q(feeling__gte=WELLBEING_MIN, feeling__lte=WELLBEING_MAX),
                name="ally_wellbeing_feeling_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"wellbeing check-in of {self.ally_id} at {self.created_at}"

    @property
    def feeling_label(self) -> str:
        return str(dict(FEELINGS).get(self.feeling, self.feeling))

    @property
    def chip_labels(self) -> list[str]:
        """The sleep, stress and support chips chosen, in words."""
        chosen = (
            (self.sleep, self.Sleep),
            (self.stress, self.Stress),
            (self.support, self.Support),
        )
        return [str(choices(value).label) for value, choices in chosen if value]
