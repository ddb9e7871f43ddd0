"""Appointment pages.

- ``appointments/``: the client's own upcoming and past sessions (``VIEW_OWN``);
- ``clients/<id>/appointments/``: the same for the primary clinician (``VIEW_RECORD``);
- ``clients/<id>/appointments/new/``: book one session or a series (``BOOK_APPOINTMENT``);
- ``appointments/<pk>/move/`` and ``appointments/<pk>/cancel/``: change one session,
  or cancel the rest of its series (``BOOK_APPOINTMENT``).

A change redirects back (POST-redirect-GET); a form that cannot be saved is shown again
with a 400 and nothing changes. Someone else's client answers 404, as the record does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waypost.access.policy import Action, can, own_enrollment
from waypost.caseload.appointments import selectors, services
from waypost.caseload.appointments.forms import BookingForm, CancelForm, MoveForm
from waypost.caseload.appointments.models import Appointment
from waypost.core import events
from waypost.core.timezones import first_zone
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.program.models import Enrollment

AUDIT_LIST = "appointments"


def _appointment_for(request: AuthenticatedHttpRequest, pk: int) -> Appointment:
    """One of the clinician's own clients' appointments, for a change; 404 for anyone else's."""
    appointment = Appointment.objects.select_related("booking").filter(pk=pk).first()
    if appointment is None:
        raise Http404
    appointment.enrollment = record_of_client(
        request.user, appointment.enrollment_id, Action.BOOK_APPOINTMENT, path=request.path
    )
    return appointment


def _back(enrollment: Enrollment) -> HttpResponse:
    return redirect(reverse("appointments:for_client", args=[enrollment.pk]))


@login_required
@require_safe
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's own appointments: what is ahead, and the last few."""
    enrollment = own_enrollment(request.user)
    now = timezone.now()
    return render(
        request,
        "appointments/mine.html",
        {
            "enrollment": enrollment,
            "upcoming": selectors.upcoming(enrollment, now),
            "recent": selectors.recent(enrollment, now),
        },
    )


@login_required
@require_safe
def for_client(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """A client's appointments for their primary clinician, with the ways to change them."""
    enrollment = record_of_client(request.user, enrollment_id, path=request.path)
    events.record_view(
        actor=request.user, enrollment=enrollment, what=AUDIT_LIST, path=request.path
    )
    now = timezone.now()
    return render(
        request,
        "appointments/for_client.html",
        {
            "enrollment": enrollment,
            "upcoming": selectors.upcoming(enrollment, now),
            "recent": selectors.recent(enrollment, now, limit=20),
            "may_book": can(request.user, Action.BOOK_APPOINTMENT, enrollment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def book(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    """Book a session or a series, in the clinic's time zone."""
    enrollment = record_of_client(
        request.user, enrollment_id, Action.BOOK_APPOINTMENT, path=request.path
    )
    form = BookingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                booking = services.book_appointment(
                    enrollment=enrollment, by=request.user, plan=form.plan()
                )
            except services.AppointmentError as exc:
                form.add_error(None, exc.message)
            else:
                count = booking.appointments.count()
                messages.success(
                    request,
                    _("Appointment booked.")
                    if count == 1
                    else _("%(count)s appointments booked.") % {"count": count},
                )
                return _back(enrollment)
        status = 400
    else:
        status = 200
    return render(
        request,
        "appointments/book.html",
        {"enrollment": enrollment, "form": form, "zone": enrollment.clinic.time_zone},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move one session to another day or time; the rest of its series stays."""
    appointment = _appointment_for(request, pk)
    zone = appointment.booking.time_zone
    local = appointment.starts_at.astimezone(first_zone(zone))
    form = MoveForm(request.POST or None, initial={"day": local.date(), "start_time": local.time()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.move_appointment(
                    appointment=appointment,
                    by=request.user,
                    day=form.cleaned_data["day"],
                    start_time=form.cleaned_data["start_time"],
                    reason=form.cleaned_data["reason"],
                )
            except services.AppointmentError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Appointment moved."))
                return _back(appointment.enrollment)
        status = 400
    return render(
        request,
        "appointments/move.html",
        {
            "appointment": appointment,
            "enrollment": appointment.enrollment,
            "form": form,
            "zone": zone,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cancel one session, or it and the rest of its series, with a reason."""
    appointment = _appointment_for(request, pk)
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                cancelled = services.cancel_appointment(
                    appointment=appointment,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    rest_of_series=form.cleaned_data["scope"] == "rest",
                )
            except services.AppointmentError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Appointment cancelled.")
                    if len(cancelled) == 1
                    else _("%(count)s appointments cancelled.") % {"count": len(cancelled)},
                )
                return _back(appointment.enrollment)
        status = 400
    return render(
        request,
        "appointments/cancel.html",
        {"appointment": appointment, "enrollment": appointment.enrollment, "form": form},
        status=status,
    )
