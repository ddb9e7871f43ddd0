"""What the assessments app puts on the client's Today: questionnaires waiting, the next session."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import F, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.access.policy import Action, can
from waypost.assessments import catalog, selectors
from waypost.assessments.models import Administration, Assignment, Session
from waypost.core import coming_up, facts, next_steps

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

# A questionnaire closing this soon comes before everything else the clinician asked for.
CLOSES_SOON = timedelta(days=2)


def _form_step(form: Administration, entry: catalog.Entry, now: datetime) -> next_steps.NextStep:
    begun = form.status == Administration.Status.IN_PROGRESS
    items = len(entry.instrument.items)
    length = ngettext(
        "%(n)d question, a minute or two", "%(n)d questions, a few minutes", items
    ) % {"n": items}
    until = formats.date_format(timezone.localtime(form.closes_at), "j M")
    post: tuple[tuple[str, str], ...] = ()
    if form.pk:
        url, key = reverse("assessments:start", args=[form.pk]), f"form.{form.pk}"
    else:
        # Fell due since the last sweep: the button's POST opens it (a GET never writes).
        url = reverse("assessments:measures")
        post = (("assignment", str(form.assignment_id)),)
        key = f"due.{form.assignment_id}"
    return next_steps.NextStep(
        key=f"assessments.{key}",
        priority=(
            next_steps.CLOSING if begun or form.closes_at - now <= CLOSES_SOON else next_steps.ASKED
        ),
        title=entry.plain_name,
        description=(
            _("%(length)s. You have started; your answers are kept. Open until %(date)s.")
            if begun
            else _("%(length)s. Open until %(date)s.")
        )
        % {"length": length, "date": until},
        url=url,
        verb=_("Continue") if begun else _("Start"),
        due=form.closes_at,
        post=post,
    )


def waiting(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """One step per questionnaire the client can fill in now; closing soon or begun first."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    known = facts.facts_for(request, enrollment)
    now = known.now
    steps = []
    for form in selectors.waiting_forms(enrollment, now, _known(known)):
        entry = form.entry
        if entry is not None:
            steps.append(_form_step(form, entry, now))
    return steps


def next_session(request: HttpRequest, enrollment: Enrollment) -> list[coming_up.ComingUp]:
    """The next planned session that is still ahead and not called off."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    known = facts.facts_for(request, enrollment)["assessments.sessions"]
    ahead = [session for session in known if not session.shown_elsewhere]
    if not ahead:
        return []
    session = min(ahead, key=lambda s: (s.starts_at, s.pk))
    return [
        coming_up.ComingUp(
            key=f"assessments.session.{session.pk}",
            starts_at=session.starts_at,
            title=_("Your session with %(name)s") % {"name": session.created_by_name},
        )
    ]


# --- Today's facts: what the two above read, in the one query of every app's facts ----------


def _known(known: facts.Facts) -> selectors.Known:
    return selectors.Known(
        open_forms=known["assessments.open_forms"],
        assignments=known["assessments.assignments"],
        made=[(form.assignment_id, form.opens_at) for form in known["assessments.made"]],
        sessions=known["assessments.sessions"],
    )


def _open_forms(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        Administration.objects.filter(
            enrollment=OuterRef("pk"),
            status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
            opens_at__lte=now,
            closes_at__gt=now,
        ),
        [
            "id",
            "enrollment_id",
            "assignment_id",
            "instrument_id",
            "clinic_instrument_id",
            "status",
            "opens_at",
            "closes_at",
        ],
    )


def _assignments(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        Assignment.objects.filter(
            enrollment=OuterRef("pk"), ended_at__isnull=True, starts_at__lte=now
        ),
        [
            "id",
            "enrollment_id",
            "instrument_id",
            "clinic_instrument_id",
            "schedule",
            "every_weeks",
            "window_days",
            "starts_at",
            "ended_at",
        ],
    )


def _made(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        Administration.objects.filter(enrollment=OuterRef("pk"), assignment__isnull=False),
        ["assignment_id", "opens_at"],
    )


def _sessions(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        Session.objects.filter(
            enrollment=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gt=now
        ),
        ["id", "enrollment_id", "starts_at", "shown_elsewhere"],
        extra={"created_by_name": F("created_by__name")},
    )


def register_all() -> None:
    facts.register("assessments.open_forms", _open_forms)
    facts.register("assessments.assignments", _assignments)
    facts.register("assessments.made", _made)
    facts.register("assessments.sessions", _sessions)
    next_steps.register("assessments.waiting", waiting)
    coming_up.register("assessments.next_session", next_session)
