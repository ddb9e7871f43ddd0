"""Forms of group therapy: a programme and its schedule, moving a session, enrolling, notes."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waypost.clinics.models import ClinicianProfile
from waypost.connect.groups import schedule
from waypost.connect.groups.models import MAX_CAPACITY, MAX_INTERVAL_WEEKS, Weekday
from waypost.connect.groups.services import (
    MAX_SESSIONS,
    MOVE_YEARS,
    NOTES_MAX,
    REASON_MAX,
    GroupError,
    Schedule,
    check_name,
)
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from waypost.clinics.models import Clinic
    from waypost.connect.groups.models import GroupProgramme

_DATE = {"type": "date"}
_TIME = {"type": "time"}
#: A group's first and last dates are at most this many years from today (a date kept
#: unchanged on an older group stays allowed).
PLAN_YEARS = 5


def _interval_choices() -> list[tuple[int, str]]:
    # Called each time the form is shown, so the words are in the viewer's language.
    return [
        (n, ngettext("Every week", "Every %(n)d weeks", n) % {"n": n})
        for n in range(1, MAX_INTERVAL_WEEKS + 1)
    ]


class ProfileChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.name)


class ProgrammeForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_(
            "Members see this name, in Waypost and in their calendar. Choose a neutral "
            "one that does not say what the group is about."
        ),
    )
    about = forms.CharField(
        label=_("About the group"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: a few words for members on what to expect."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=Weekday.choices, coerce=int
    )
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs=_TIME, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs=_TIME, format="%H:%M")
    )
    interval_weeks = forms.TypedChoiceField(
        label=_("How often"), choices=_interval_choices, coerce=int, initial=1
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        help_text=_("The first session is on the first chosen weekday from this date."),
    )
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )
    session_count = forms.IntegerField(
        label=_("Or a number of sessions (optional)"),
        required=False,
        min_value=1,
        max_value=MAX_SESSIONS,
        help_text=_("Leave both empty for a group that goes on until you change it."),
    )
    facilitators = ProfileChoice(
        label=_("Facilitators"),
        queryset=ClinicianProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They take attendance and keep the session notes."),
    )
    room = forms.CharField(label=_("Room or address"), required=False, max_length=200)
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Members see it in Waypost and in their calendar; it is never e-mailed."),
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=MAX_CAPACITY)

    def __init__(
        self, *args: Any, clinic: Clinic, programme: GroupProgramme | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        facilitators = self.fields["facilitators"]
        assert isinstance(facilitators, ProfileChoice)
        facilitators.queryset = (
            ClinicianProfile.objects.filter(clinic=clinic, is_active=True)
            .select_related("user")
            .order_by("user__name")
        )

    @classmethod
    def initial_for(cls, programme: GroupProgramme) -> dict[str, Any]:
        return {
            "name": programme.name,
            "about": programme.about,
            "weekday": programme.weekday,
            "start_time": programme.start_time,
            "end_time": programme.end_time,
            "interval_weeks": programme.interval_weeks,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "session_count": programme.session_count,
            "facilitators": list(programme.facilitators.all()),
            "room": programme.room,
            "online_url": programme.online_url,
            "capacity": programme.capacity,
        }

    def clean_name(self) -> str:
        try:
            return check_name(self.cleaned_data["name"])
        except GroupError as exc:
            raise forms.ValidationError(exc.message) from exc

    def _near(self, field: str) -> date | None:
        """The date in ``field``, if it is within five years of today or left unchanged."""
        day: date | None = self.cleaned_data.get(field)
        if day is None or day == getattr(self.programme, field, None):
            return day
        if not schedule.within_years(day, timezone.localdate(), PLAN_YEARS):
            raise forms.ValidationError(_("Choose a date within five years of today."))
        return day

    def clean_starts_on(self) -> date | None:
        return self._near("starts_on")

    def clean_ends_on(self) -> date | None:
        return self._near("ends_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ends_on") and data.get("session_count"):
            self.add_error(
                "session_count", _("Give an end date or a number of sessions, not both.")
            )
        start, end = data.get("start_time"), data.get("end_time")
        if isinstance(start, time) and isinstance(end, time) and end <= start:
            self.add_error("end_time", _("A session must end after it starts, on the same day."))
        return data

    def plan(self) -> Schedule:
        data = self.cleaned_data
        return Schedule(
            starts_on=data["starts_on"],
            weekday=data["weekday"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            interval_weeks=data["interval_weeks"],
            ends_on=data.get("ends_on"),
            session_count=data.get("session_count"),
        )


class EnrolForm(forms.Form):
    enrollment = forms.ModelChoiceField(
        label=_("Client"), queryset=Enrollment.objects.none(), empty_label=_("Choose a client")
    )

    def __init__(self, *args: Any, programme: GroupProgramme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enrollment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Enrollment.objects.filter(
                clinic_id=programme.clinic_id, status=Enrollment.Status.ACTIVE
            )
            .exclude(
                group_memberships__programme=programme, group_memberships__left_at__isnull=True
            )
            .select_related("client")
            .order_by("client__name")
        )
        field.label_from_instance = lambda obj: obj.client.name  # type: ignore[method-assign]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX,
        help_text=_("Members see it in Waypost. It is not put in e-mails."),
    )


class MoveForm(forms.Form):
    """Another day, time or room for one session; the day within two years of today."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs=_TIME, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs=_TIME, format="%H:%M")
    )
    room = forms.CharField(
        label=_("Room or address (optional)"),
        required=False,
        max_length=200,
        help_text=_("Leave it empty to keep the group's usual place."),
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX,
        help_text=_("Members see it in Waypost. It is not put in e-mails."),
    )

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        # Far-off days also have no local time at the calendar's end west of UTC.
        if not schedule.within_years(day, timezone.localdate(), MOVE_YEARS):
            raise forms.ValidationError(_("Choose a day within two years from today."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if isinstance(start, time) and isinstance(end, time) and end <= start:
            self.add_error("end_time", _("A session must end after it starts, on the same day."))
        return data

    def moment(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The new start and end, aware in the group's zone."""
        day: date = self.cleaned_data["day"]
        return (
            datetime.combine(day, self.cleaned_data["start_time"], tzinfo=zone),
            datetime.combine(day, self.cleaned_data["end_time"], tzinfo=zone),
        )


class NotesForm(forms.Form):
    text = forms.CharField(
        label=_("Session notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "About the session, for the group's facilitators only; kept encrypted. "
            "Anything about one client belongs in their record."
        ),
    )
