"""Forms for the clinic admin's pages and the clinician's own profile.

Forms only check and shape input; the services make the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from waypost.accounts.models import Invitation
from waypost.clinics.models import MAX_ALERT_OVERDUE_HOURS
from waypost.clinics.photos import MAX_BYTES, PhotoError, clean_photo
from waypost.clinics.selectors import GateStage
from waypost.clinics.services import MAX_GATE_PARAMETER
from waypost.core.models import AuditEvent
from waypost.core.timezones import time_zone_choices

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.utils.datastructures import MultiValueDict
    from django_stubs_ext import StrOrPromise

    from waypost.accounts.models import User
    from waypost.clinics.models import Clinic, ClinicianProfile
    from waypost.clinics.photos import CleanPhoto


class ClinicSettingsForm(forms.Form):
    name = forms.CharField(label=_("Clinic name"), max_length=120)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Days, reminders and group times follow this time zone."),
    )
    default_language = forms.ChoiceField(label=_("Default language"))
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    about = forms.CharField(
        label=_("About the clinic"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown at the top of your public specialists page."),
    )
    alert_overdue_hours = forms.IntegerField(
        label=_("A risk alert is overdue after (hours)"),
        min_value=1,
        max_value=MAX_ALERT_OVERDUE_HOURS,
        help_text=_(
            "An alert still open this long is marked overdue on the clinician's risk inbox "
            "and caseload, and on your overview."
        ),
    )
    require_two_factor = forms.BooleanField(
        label=_("Clinicians and admins must use two-factor sign-in"),
        required=False,
        help_text=_(
            "Anyone on staff without an authenticator app is asked to set one up the next "
            "time they open a page. That includes you."
        ),
    )

    def __init__(self, data: Mapping[str, object] | None = None, *, clinic: Clinic) -> None:
        initial = {
            "name": clinic.name,
            "time_zone": clinic.time_zone,
            "default_language": clinic.default_language,
            "contact_email": clinic.contact_email,
            "contact_phone": clinic.contact_phone,
            "address": clinic.address,
            "about": clinic.about,
            "alert_overdue_hours": clinic.alert_overdue_hours,
            "require_two_factor": clinic.require_two_factor,
        }
        super().__init__(data, initial=initial)
        zones = list(time_zone_choices())
        if clinic.time_zone not in {value for value, _label in zones}:
            zones.insert(0, (clinic.time_zone, clinic.time_zone))
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = zones
        languages = [(code, str(label)) for code, label in settings.LANGUAGES]
        if clinic.default_language not in {code for code, _label in languages}:
            languages.append((clinic.default_language, clinic.default_language))
        cast(forms.ChoiceField, self.fields["default_language"]).choices = languages


class CrisisLineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    text = forms.CharField(
        label=_("Text or chat"),
        max_length=120,
        required=False,
        help_text=_("For example: WhatsApp 9151 1767"),
    )
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    hours = forms.CharField(
        label=_("Hours"), max_length=80, required=False, help_text=_("For example: 24 hours")
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One short sentence on when to call."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("phone") or data.get("text") or data.get("url")) and not self.errors:
            raise forms.ValidationError(
                _("Please add a phone number, a text or chat option, or a website.")
            )
        return data


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class GateSettingsForm(forms.Form):
    """One checkbox and one number field per parameter for every registered criterion."""

    def __init__(self, *args: Any, stages: list[GateStage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stages = stages
        for stage in stages:
            for row in stage.rows:
                key = row.criterion.key
                self.fields[f"{key}__enabled"] = forms.BooleanField(
                    label=row.label, required=False, initial=row.enabled
                )
                for param, value in row.params.items():
                    self.fields[f"{key}__{param}"] = forms.IntegerField(
                        label=param_label(param),
                        min_value=0,
                        max_value=MAX_GATE_PARAMETER,
                        initial=value,
                        error_messages={
                            "invalid": _("Please enter a whole number."),
                            "required": _("Please enter a number."),
                            "min_value": _("Please enter 0 or more."),
                        },
                    )

    def layout(self) -> list[dict[str, Any]]:
        """Bound fields grouped by stage and criterion, for the template."""
        out: list[dict[str, Any]] = []
        for stage in self.stages:
            rows = []
            for row in stage.rows:
                key = row.criterion.key
                rows.append(
                    {
                        "row": row,
                        "enabled": self[f"{key}__enabled"],
                        "params": [self[f"{key}__{param}"] for param in row.params],
                    }
                )
            out.append({"stage": stage, "rows": rows})
        return out

    def choices(self) -> dict[str, dict[str, int | bool]]:
        """The cleaned form in the shape ``services.update_gate_settings`` takes."""
        out: dict[str, dict[str, int | bool]] = {}
        for stage in self.stages:
            for row in stage.rows:
                key = row.criterion.key
                choice = {"enabled": self.cleaned_data[f"{key}__enabled"]}
                for param in row.params:
                    choice[param] = self.cleaned_data[f"{key}__{param}"]
                out[key] = choice
        return out


_PARAM_LABELS = {"days": _("Days"), "allies": _("Allies"), "weeks": _("Weeks")}


def param_label(param: str) -> StrOrPromise:
    return _PARAM_LABELS.get(param, param.replace("_", " ").capitalize())


class InviteStaffForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Invite as"),
        choices=[
            (Invitation.Kind.CLINICIAN, _("Clinician")),
            (Invitation.Kind.ADMIN, _("Clinic admin")),
        ],
        initial=Invitation.Kind.CLINICIAN,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))


class ReassignForm(forms.Form):
    clinician = forms.TypedChoiceField(label=_("New clinician"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["clinician"]).choices = choices


class AuditFilterForm(forms.Form):
    client = forms.TypedChoiceField(label=_("Client"), coerce=int, required=False, empty_value=None)
    actor = forms.TypedChoiceField(label=_("Who"), coerce=int, required=False, empty_value=None)
    action = forms.ChoiceField(
        label=_("What happened"),
        required=False,
        choices=[
            ("", _("Everything")),
            (AuditEvent.Action.VIEW, _("Views")),
            (AuditEvent.Action.CHANGE, _("Changes")),
            (AuditEvent.Action.EXPORT, _("Exports")),
            (AuditEvent.Action.REFUSED, _("Refused attempts")),
        ],
    )

    def __init__(
        self, *args: Any, clients: Iterable[User], actors: Iterable[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everyone: list[tuple[int | str, StrOrPromise]] = [("", _("Everyone"))]
        client_field = cast(forms.ChoiceField, self.fields["client"])
        client_field.choices = everyone + [(u.pk, _person(u)) for u in clients]
        actor_field = cast(forms.ChoiceField, self.fields["actor"])
        actor_field.choices = everyone + [(u.pk, _person(u)) for u in actors]
        for field in (client_field, actor_field):
            field.error_messages["invalid_choice"] = _(
                "That person isn't in this clinic's trail. Showing everyone instead."
            )
        self.fields["action"].error_messages["invalid_choice"] = _(
            "There is no such choice. Showing everything instead."
        )


def _person(user: User) -> str:
    return f"{user.name} ({user.email})" if user.name else user.email


class ProfileForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("For example: Clinical psychologist"),
    )
    # A plain file input: the current photo is shown above the form.
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        required=False,
        help_text=_(
            "PNG, JPEG or WebP, up to 5 MB. A friendly head-and-shoulders photo works best."
        ),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Separate languages with commas, for example: English, Mandarin"),
    )
    qualifications = forms.CharField(
        label=_("Qualifications"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    years_experience = forms.IntegerField(
        label=_("Years of experience"),
        min_value=0,
        max_value=70,
        error_messages={"invalid": _("Please enter a whole number of years.")},
    )
    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few warm sentences on how you work. Up to 2,000 characters."),
    )
    listed = forms.BooleanField(label=_("Show me in the public directory"), required=False)

    def __init__(
        self,
        data: Mapping[str, object] | None = None,
        files: MultiValueDict[str, UploadedFile[bytes]] | None = None,
        *,
        profile: ClinicianProfile,
    ) -> None:
        initial = {
            "title": profile.title,
            "languages": profile.languages,
            "qualifications": profile.qualifications,
            "years_experience": profile.years_experience,
            "bio": profile.bio,
            "listed": profile.listed,
        }
        super().__init__(data, files, initial=initial)
        self.has_photo = bool(profile.photo)
        if not self.has_photo:
            del self.fields["remove_photo"]

    def clean_photo(self) -> CleanPhoto | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("This photo is larger than 5 MB. Please choose a smaller one.")
            )
        try:
            return clean_photo(upload.read())
        except PhotoError as exc:
            raise forms.ValidationError(exc.message) from None
