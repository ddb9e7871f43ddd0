"""Questionnaires as homework (``core.homework``): every form opened for the client to fill
in, completed, missed (it closed unanswered) or open, due by the day it closes.

That day is the client's own (their time zone, else their clinic's), the same day the
callers' ``today`` is, so a form is overdue on the client's calendar, not the viewer's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.assessments.models import Administration
from waypost.core import homework
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from waypost.program.models import Enrollment

_WAITING = (Administration.Status.OPEN, Administration.Status.IN_PROGRESS)


def _title(form: Administration) -> str:
    entry = form.entry
    if entry is None:
        return form.instrument_id
    short = entry.instrument.short_name
    return entry.plain_name if short == entry.plain_name else f"{entry.plain_name} ({short})"


def questionnaires(
    enrollments: Sequence[Enrollment], since: datetime | None
) -> dict[int, list[homework.Item]]:
    """Each enrollment's forms to fill in (not those done in session or imported): one query.

    The client's and clinic's time zones come with the rows (joined), so the day each
    form is due by costs no query more whatever the number of clients.
    """
    now = timezone.now()
    rows = (
        Administration.objects.filter(
            enrollment_id__in=[e.pk for e in enrollments],
            source=Administration.Source.CLIENT,
            opens_at__lte=now,
        )
        .only(
            "id",
            "enrollment_id",
            "instrument_id",
            "clinic_instrument_id",
            "status",
            "opens_at",
            "closes_at",
            "completed_at",
        )
        .annotate(
            client_zone=F("enrollment__client__time_zone"),
            clinic_zone=F("enrollment__clinic__time_zone"),
        )
    )
    if since is not None:
        rows = rows.filter(Q(opens_at__gte=since) | Q(status__in=_WAITING, closes_at__gt=now))
    out: dict[int, list[homework.Item]] = {}
    for form in rows:
        done = form.status == Administration.Status.COMPLETED
        missed = not done and (
            form.status == Administration.Status.EXPIRED or form.closes_at <= now
        )
        zone = first_zone(form.client_zone, form.clinic_zone)  # the client's own
        out.setdefault(form.enrollment_id, []).append(
            homework.Item(
                key=f"assessments.{form.pk}",
                title=_title(form),
                kind=homework.MEASURE,
                set_on=form.opens_at,
                due=None if done or missed else form.closes_at.astimezone(zone).date(),
                completed_on=form.completed_at if done else None,
                missed=missed,
                url=reverse("assessments:clinician_form", args=[form.enrollment_id, form.pk])
                if done
                else reverse("assessments:clinician_measures", args=[form.enrollment_id]),
            )
        )
    return out


def register() -> None:
    homework.register(
        homework.Source("assessments.questionnaires", _("Questionnaires"), questionnaires, order=30)
    )
