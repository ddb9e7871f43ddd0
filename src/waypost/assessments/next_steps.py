"""What the assessments app puts on the client's Today: questionnaires waiting, the next session."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.access.policy import Action, can
from waypost.assessments import catalog, selectors
from waypost.assessments.models import Administration, Session
from waypost.core import coming_up, next_steps

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
    now = timezone.now()
    steps = []
    for form in selectors.waiting_forms(enrollment, now):
        entry = form.entry
        if entry is not None:
            steps.append(_form_step(form, entry, now))
    return steps


def next_session(request: HttpRequest, enrollment: Enrollment) -> list[coming_up.ComingUp]:
    """The next planned session that is still ahead and not called off."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    session = (
        Session.objects.filter(
            enrollment=enrollment, cancelled_at__isnull=True, starts_at__gt=timezone.now()
        )
        .select_related("created_by")
        .order_by("starts_at", "pk")
        .first()
    )
    if session is None:
        return []
    return [
        coming_up.ComingUp(
            key=f"assessments.session.{session.pk}",
            starts_at=session.starts_at,
            title=_("Your session with %(name)s") % {"name": session.created_by.name},
        )
    ]


def register_all() -> None:
    next_steps.register("assessments.waiting", waiting)
    coming_up.register("assessments.next_session", next_session)
