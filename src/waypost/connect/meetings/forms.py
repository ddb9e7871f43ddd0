"""Forms of the meetings pages: the search, "I went", a favourite's reminder, and the clinic's
sources and meetings."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from waypost.connect.meetings import feed, selectors, vocabulary
from waypost.core.timezones import time_zone_choices

MODES = [("", _("Either")), ("online", _("Online")), ("in_person", _("In person"))]
DAY_CHOICES = [("", _("Any"))] + [(str(n), label) for n, label in enumerate(vocabulary.WEEKDAYS)]
SOON_HOURS = [(1, _("1 hour")), (2, _("2 hours")), (3, _("3 hours")), (6, _("6 hours"))]


def _choose(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class SearchForm(forms.Form):
    """The directory's filters (GET); every field may be left empty."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    fellowship = forms.ChoiceField(label=_("Fellowship"), required=False)
    mode = forms.ChoiceField(label=_("How they meet"), choices=MODES, required=False)
    day = forms.ChoiceField(label=_("Day (your time)"), choices=DAY_CHOICES, required=False)
    time_from = forms.TimeField(
        label=_("From (your time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_to = forms.TimeField(
        label=_("Until (your time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(
        label=_("Near a place"),
        required=False,
        max_length=100,
        help_text=_("A city, postal code or area. Pick a city from the list to sort by distance."),
        widget=forms.TextInput(attrs={"list": "meeting-cities", "autocomplete": "off"}),
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    language = forms.ChoiceField(label=_("Language"), required=False)
    type = forms.ChoiceField(label=_("Kind of meeting"), required=False)

    def __init__(self, data: Any, facets: selectors.Facets) -> None:
        super().__init__(data)
        _choose(self, "fellowship", [("", _("Any")), *facets.fellowships])
        _choose(self, "language", [("", _("Any")), *facets.languages])
        _choose(self, "type", [("", _("Any")), *facets.types])
        self.cities = facets.cities

    BASIC = ("q", "fellowship", "mode", "day", "place")
    MORE = ("time_from", "time_to", "language", "type", "lat", "lon")

    @property
    def basic_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BASIC]

    @property
    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MORE]

    def criteria(self) -> selectors.Criteria:
        """The filters as asked; a field that is not valid is left out (and shown as such)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        near = None
        if data.get("lat") is not None and data.get("lon") is not None:
            near = (data["lat"], data["lon"])
        day = data.get("day")
        return selectors.Criteria(
            text=data.get("q") or "",
            fellowship=data.get("fellowship") or "",
            mode=data.get("mode") or "",
            day=int(day) if day not in (None, "") else None,
            time_from=data.get("time_from"),
            time_to=data.get("time_to"),
            place=data.get("place") or "",
            near=near,
            language=data.get("language") or "",
            type=data.get("type") or "",
        )

    @property
    def advanced_used(self) -> bool:
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return False
        names = ("language", "type", "lat", "lon", "time_from", "time_to")
        return any(self.cleaned_data.get(name) not in (None, "") for name in names)


class AttendanceForm(forms.Form):
    """ "I went to this meeting on …"."""

    meeting = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    online = forms.TypedChoiceField(
        label=_("I took part"),
        choices=[("0", _("In person")), ("1", _("Online"))],
        coerce=lambda value: value == "1",
        required=False,
        widget=forms.RadioSelect,
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["client_uuid"].initial = uuid.uuid4()


class ReminderForm(forms.Form):
    """ "Remind me an hour before" on a favourite meeting: 1 (on) or 0 (off)."""

    remind = forms.TypedChoiceField(
        label=_("Remind me an hour before"),
        choices=[("1", _("On")), ("0", _("Off"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Please say whether to remind you: on or off."),
            "invalid_choice": _("Please say whether to remind you: on or off."),
        },
    )


class SourceForm(forms.Form):
    """A feed source: a web address, or (when adding) a file to upload."""

    name = forms.CharField(label=_("Name"), max_length=120)
    url = forms.URLField(
        label=_("Web address of the feed"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("A Meeting Guide JSON feed, as meeting-list websites publish it."),
    )
    upload = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_("A Meeting Guide JSON file, at most 5 MB. A file is imported once."),
    )
    fellowship = forms.ChoiceField(
        label=_("Fellowship"),
        choices=vocabulary.fellowship_choices(),
        required=False,
        help_text=_("A meeting type code means what its fellowship says it means."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of its meetings"),
        required=False,
        help_text=_("For meetings that do not name their own. Empty: the clinic's."),
    )
    refresh = forms.BooleanField(
        label=_("Fetch it again automatically (twice a day)"), required=False, initial=True
    )

    def __init__(
        self, *args: Any, editing: bool = False, file_source: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choose(self, "time_zone", [("", _("The clinic's time zone")), *time_zone_choices()])
        self.editing = editing
        if editing:
            del self.fields["upload"]
        if file_source:  # a file stays a file: no address, nothing to fetch again
            del self.fields["url"]
            del self.fields["refresh"]

    def clean_upload(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("upload")
        if upload is not None and upload.size is not None and upload.size > feed.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        nothing = not data.get("url") and not data.get("upload")
        if not self.editing and nothing and not self.errors:
            raise forms.ValidationError(_("Please give the feed's web address or choose a file."))
        if not self.editing and data.get("url") and data.get("upload"):
            raise forms.ValidationError(_("Please give either a web address or a file, not both."))
        return data


class UploadForm(forms.Form):
    """A new copy of a file source's file."""

    upload = forms.FileField(label=_("File"), required=False)


class MeetingForm(forms.Form):
    """A meeting the clinic lists by hand; checked by the same rules as a feed's."""

    name = forms.CharField(label=_("Name"), max_length=255)
    fellowship = forms.ChoiceField(
        label=_("Fellowship"), choices=vocabulary.fellowship_choices(), required=False
    )
    day = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=[(str(n), label) for n, label in enumerate(vocabulary.WEEKDAYS)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave the days and time empty for a meeting by appointment."),
    )
    time = forms.TimeField(
        label=_("Starts"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        label=_("Ends"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))
    conference_url = forms.CharField(
        label=_("Link to join online"), required=False, max_length=1000
    )
    conference_phone = forms.CharField(
        label=_("Phone number to join"), required=False, max_length=80
    )
    location = forms.CharField(label=_("Venue"), required=False, max_length=255)
    address = forms.CharField(label=_("Street address"), required=False, max_length=255)
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=30)
    region = forms.CharField(label=_("Area"), required=False, max_length=255)
    country = forms.CharField(label=_("Country"), required=False, max_length=120)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    types = forms.CharField(
        label=_("Type codes"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas, e.g. O, BE, EN (open, newcomers, English)."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea, max_length=10000
    )
    url = forms.CharField(label=_("Web page"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose(self, "time_zone", time_zone_choices())

    def values(self) -> dict[str, Any]:
        """The meeting in the feed's field names, for ``services.add_meeting``."""
        data = dict(self.cleaned_data)
        data["types"] = [code.strip() for code in data.get("types", "").split(",") if code.strip()]
        return data


def initial_for(meeting: Any) -> dict[str, Any]:
    """A stored meeting as the form's initial values."""
    return {
        "name": meeting.name,
        "fellowship": meeting.fellowship,
        "day": [str(d) for d in meeting.days],
        "time": meeting.time,
        "end_time": meeting.end_time,
        "time_zone": meeting.time_zone,
        "conference_url": meeting.conference_url,
        "conference_phone": meeting.conference_phone,
        "location": meeting.location,
        "address": meeting.address,
        "city": meeting.city,
        "postal_code": meeting.postal_code,
        "region": meeting.region,
        "country": meeting.country,
        "latitude": meeting.latitude,
        "longitude": meeting.longitude,
        "types": ", ".join(meeting.types),
        "notes": meeting.notes,
        "url": meeting.url,
    }
