"""Stage 2's daily life: the client's check-in, one per local day."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField

MOOD_MIN, MOOD_MAX = 1, 5
URGE_MIN, URGE_MAX = 0, 10
SLEEP_MAX = 24
MINUTES_MAX = 600


class CheckIn(models.Model):
    """How one day went, in the client's own local date; a second submit updates it.

    ``client_uuid`` comes from the form (later, the offline queue): a submission
    retried with the same id is stored once.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="check_ins"
    )
    local_date = models.DateField(_("day"))
    client_uuid = models.UUIDField()
    sober = models.BooleanField(_("kept my inner circle"))
    mood = models.PositiveSmallIntegerField(
        _("mood"), validators=[MinValueValidator(MOOD_MIN), MaxValueValidator(MOOD_MAX)]
    )
    urge = models.PositiveSmallIntegerField(
        _("strongest urge"), validators=[MinValueValidator(URGE_MIN), MaxValueValidator(URGE_MAX)]
    )
    sleep_hours = models.DecimalField(
        _("hours of sleep"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(SLEEP_MAX)],
    )
    mindfulness_minutes = models.PositiveSmallIntegerField(
        _("minutes of mindfulness"), default=0, validators=[MaxValueValidator(MINUTES_MAX)]
    )
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            # One per local day; also serves every read (an enrollment's days, its lapse dates).
            models.UniqueConstraint(
                fields=["enrollment", "local_date"], name="one_check_in_per_local_day"
            ),
            # A retried submission is stored once.
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="check_in_client_uuid_once"
            ),
            models.CheckConstraint(
                condition=Q(mood__gte=MOOD_MIN, mood__lte=MOOD_MAX), name="check_in_mood_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(urge__gte=URGE_MIN, urge__lte=URGE_MAX), name="check_in_urge_0_to_10"
            ),
            models.CheckConstraint(
                condition=Q(sleep_hours__isnull=True)
                | Q(sleep_hours__gte=0, sleep_hours__lte=SLEEP_MAX),
                name="check_in_sleep_0_to_24",
            ),
            models.CheckConstraint(
                condition=Q(mindfulness_minutes__lte=MINUTES_MAX),
                name="check_in_minutes_0_to_600",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.local_date}"
