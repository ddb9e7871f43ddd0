"""Forms for booking, moving and cancelling: times in the clinic's zone, checked by services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.caseload.appointments.models import MAX_MINUTES, MIN_MINUTES, Booking
from waypost.caseload.appointments.services import Plan

REPEAT_CHOICES = [
    ("", _("Once")),
    ("1", _("Every week")),
    ("2", _("Every 2 weeks")),
    ("3", _("Every 3 weeks")),
    ("4", _("Every 4 weeks")),
]


class _DateInput(forms.DateInput):
    input_type = "date"


class _TimeInput(forms.TimeInput):
    input_type = "time"


class BookingForm(forms.Form):
    first_day = forms.DateField(label=_("Day"), widget=_DateInput)
    start_time = forms.TimeField(label=_("Starts at"), widget=_TimeInput)
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=50
    )
    mode = forms.ChoiceField(
        label=_("Where"),
        choices=Booking.Mode.choices,
        initial=Booking.Mode.IN_PERSON,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=_("Room or address"),
        required=False,
        max_length=200,
        help_text=_("For a session in person."),
    )
    online_url = forms.URLField(
        label=_("Link to join"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For an online session: the video link the client opens."),
    )
    every_weeks = forms.TypedChoiceField(
        label=_("Repeats"),
        choices=REPEAT_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
    )
    count = forms.IntegerField(
        label=_("Number of sessions"),
        required=False,
        min_value=2,
        max_value=52,
        help_text=_("For a series: how many sessions, or a last day below."),
    )
    until = forms.DateField(label=_("Last day"), required=False, widget=_DateInput)

    def plan(self) -> Plan:
        data: dict[str, Any] = self.cleaned_data
        return Plan(
            first_day=data["first_day"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
            mode=data["mode"],
            place=data["place"],
            online_url=data["online_url"],
            every_weeks=data["every_weeks"],
            count=data["count"] if data["every_weeks"] else None,
            until=data["until"] if data["every_weeks"] else None,
        )


class MoveForm(forms.Form):
    day = forms.DateField(label=_("New day"), widget=_DateInput)
    start_time = forms.TimeField(label=_("Starts at"), widget=_TimeInput)
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    SCOPES = [
        ("one", _("Only this session")),
        ("rest", _("This session and every later one of the series")),
    ]

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the client's record."),
    )
    scope = forms.ChoiceField(
        label=_("Cancel"), choices=SCOPES, initial="one", widget=forms.RadioSelect
    )
