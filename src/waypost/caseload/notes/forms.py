"""Forms for notes, amendments, exercises and the timeline's filters; services check the rest."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from waypost.caseload.appointments.models import Appointment
from waypost.caseload.notes.models import SessionNote
from waypost.caseload.notes.services import NoteContent
from waypost.caseload.notes.services import exercises as exercise_services
from waypost.caseload.notes.services import notes as note_services


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class _TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def _text(label: Any, rows: int, max_length: int, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


# Appointments offered to link a note to: from a month back to a day ahead.
APPOINTMENTS_BACK = timedelta(days=30)


def recent_appointments(enrollment_id: int, keep: int | None = None) -> list[Appointment]:
    """The client's recent appointments not cancelled, newest first, for a note's link.

    ``keep``: the appointment a note links already, offered however long ago it was.
    """
    now = timezone.now()
    recent = Q(
        status=Appointment.Status.PLANNED,
        starts_at__gte=now - APPOINTMENTS_BACK,
        starts_at__lte=now + timedelta(days=1),
    )
    return list(
        Appointment.objects.filter(enrollment_id=enrollment_id)
        .filter(recent | Q(pk=keep) if keep is not None else recent)
        .select_related("booking")
        .order_by("-starts_at")
    )


def appointment_choices(rows: list[Appointment], zone: tzinfo) -> list[tuple[str, str]]:
    """The appointments as choices, in ``zone``, after "No appointment"."""
    return [("", str(_("No appointment")))] + [
        (
            str(a.pk),
            f"{formats.date_format(a.starts_at.astimezone(zone), 'D j M Y, H:i')} "
            f"({a.booking.get_mode_display()})",
        )
        for a in rows
    ]


class NoteForm(forms.Form):
    """A note's facts and sections; the day and time are in the clinic's zone."""

    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # The note's version the form shows (editing only): a change is made only at it.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    session_day = forms.DateField(label=_("Day of the session"), widget=_DateInput)
    session_time = forms.TimeField(label=_("Time"), widget=_TimeInput)
    format = forms.ChoiceField(
        label=_("How it took place"),
        choices=SessionNote.Format.choices,
        initial=SessionNote.Format.IN_PERSON,
        widget=forms.RadioSelect,
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=note_services.MIN_MINUTES,
        max_value=note_services.MAX_MINUTES,
        initial=50,
    )
    appointment = forms.TypedChoiceField(
        label=_("Booked appointment"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("If the session was one of the appointments booked in Waypost."),
    )
    discussed = _text(
        _("What was discussed and observed"),
        6,
        note_services.SECTION_MAX,
        _("What the client brought, what you worked on, what you noticed."),
    )
    assessment = _text(
        _("Assessment"),
        4,
        note_services.SECTION_MAX,
        _("Your understanding: progress, patterns, how the plan is working."),
    )
    plan = _text(
        _("Plan"),
        4,
        note_services.SECTION_MAX,
        _("What happens next: homework, the next session, any referral."),
    )
    risk = forms.ChoiceField(
        label=_("Risk check"),
        choices=SessionNote.Risk.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Needed to sign. Some or serious concerns need a few words on what they are."),
    )
    risk_note = _text(_("About the concerns"), 3, note_services.RISK_NOTE_MAX)

    def __init__(self, *args: Any, appointments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["appointment"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = appointments
        if len(appointments) <= 1:
            field.widget = forms.HiddenInput()

    def content(self, zone: tzinfo) -> NoteContent:
        data: dict[str, Any] = self.cleaned_data
        session_at = datetime.combine(data["session_day"], data["session_time"], tzinfo=zone)
        return NoteContent(
            session_at=session_at,
            format=data["format"],
            duration_minutes=data["duration_minutes"],
            discussed=data["discussed"],
            assessment=data["assessment"],
            plan=data["plan"],
            risk=data["risk"],
            risk_note=data["risk_note"],
            appointment_id=data["appointment"],
        )


def note_initial(note: SessionNote, zone: tzinfo) -> dict[str, Any]:
    """A note's content as the form's initial values, its time in ``zone``."""
    local = note.session_at.astimezone(zone)
    return {
        "version": note.version,
        "session_day": local.date(),
        "session_time": local.time().replace(second=0, microsecond=0),
        "format": note.format,
        "duration_minutes": note.duration_minutes,
        "appointment": note.appointment_id or "",
        "discussed": note.discussed,
        "assessment": note.assessment,
        "plan": note.plan,
        "risk": note.risk,
        "risk_note": note.risk_note,
    }


class AmendmentForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Amendment"),
        max_length=note_services.AMENDMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Added under the note, signed with your name and today's date."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=note_services.REASON_MAX,
        help_text=_("Why the note needs this addition, e.g. “Information received later”."),
    )


class ExerciseForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("What to do"),
        max_length=exercise_services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the client's words, short and concrete. The client sees this."),
    )
    due_on = forms.DateField(label=_("To do by (optional)"), required=False, widget=_DateInput)


class DoneForm(forms.Form):
    reflection = forms.CharField(
        label=_("How did it go? (optional)"),
        required=False,
        max_length=exercise_services.REFLECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you and your clinician see this."),
    )


#: The first day the timeline may be filtered from (nothing in Waypost is older).
TIMELINE_FIRST_DAY = date(2000, 1, 1)


class TimelineFilterForm(forms.Form):
    """Which events to show: categories (none chosen: all) and a range of days.

    Days are bounded (:data:`TIMELINE_FIRST_DAY` to tomorrow): a day far off in either
    direction is refused with a clear error, never turned into a time out of range.
    """

    category = forms.MultipleChoiceField(
        label=_("Show"), required=False, widget=forms.CheckboxSelectMultiple
    )
    since = forms.DateField(label=_("From"), required=False, widget=_DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=_DateInput)

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = categories

    def _bounded(self, name: str) -> date | None:
        day: date | None = self.cleaned_data.get(name)
        last = timezone.localdate() + timedelta(days=1)
        if day is not None and not TIMELINE_FIRST_DAY <= day <= last:
            raise forms.ValidationError(
                _("Please choose a day between %(first)s and %(last)s.")
                % {
                    "first": formats.date_format(TIMELINE_FIRST_DAY, "j M Y"),
                    "last": formats.date_format(last, "j M Y"),
                }
            )
        return day

    def clean_since(self) -> date | None:
        return self._bounded("since")

    def clean_until(self) -> date | None:
        return self._bounded("until")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        since: date | None = data.get("since")
        until: date | None = data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The first day must come before the last."))
        return data
