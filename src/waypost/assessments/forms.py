"""Forms for assigning measures, planning sessions, importing, and the clinic's choice."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.assessments import catalog
from waypost.assessments.models import Assignment, ClinicMeasureSettings

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # Django's form classes take no type arguments at run time; the stubs want the model.
    _SettingsForm = forms.ModelForm[ClinicMeasureSettings]
else:
    _SettingsForm = forms.ModelForm

MAX_IMPORT_BYTES = 512 * 1024


def instrument_choices() -> list[tuple[str, StrOrPromise]]:
    return [("", _("Choose a questionnaire"))] + [
        (entry.id, f"{entry.instrument.short_name} — {entry.measures}")
        for entry in catalog.catalog().values()
    ]


class AssignForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"), choices=instrument_choices)
    schedule = forms.ChoiceField(
        label=_("When"), choices=Assignment.Schedule.choices, initial=Assignment.Schedule.ONCE
    )
    every_weeks = forms.IntegerField(
        label=_("Every how many weeks"),
        min_value=1,
        max_value=52,
        required=False,
        help_text=_("Only for “every few weeks”."),
    )
    window_days = forms.IntegerField(
        label=_("Days to fill it in"),
        min_value=1,
        max_value=28,
        initial=7,
        help_text=_("It closes after this; a reminder goes out a day before."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("schedule") == Assignment.Schedule.EVERY_N_WEEKS and not data.get(
            "every_weeks"
        ):
            self.add_error("every_weeks", _("Please give how often, in weeks."))
        return data


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Next session"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("FHIR QuestionnaireResponse (JSON)"),
        help_text=_("A completed form for one of the questionnaires in Waypost."),
    )

    def clean_file(self) -> object:
        """The file's JSON, parsed (a QuestionnaireResponse is checked when it is read)."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large for a single form."))
        try:
            # utf-8-sig: files saved by some editors start with a byte-order mark
            return json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise forms.ValidationError(_("The file is not JSON.")) from None
        except ValueError:
            # an integer longer than Python agrees to read (sys.get_int_max_str_digits)
            raise forms.ValidationError(
                _("The file has a number far too long to be an answer.")
            ) from None
        except RecursionError:
            raise forms.ValidationError(_("The file is nested too deeply to be a form.")) from None


class MeasureSettingsForm(_SettingsForm):
    """The clinic admin's Measures page: the new client's baseline, and how change is judged."""

    baseline_instruments = forms.MultipleChoiceField(
        label=_("Questionnaires a new client gets on joining"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each is given once, with two weeks to fill it in. Choose none to leave "
            "it to each client's clinician."
        ),
    )

    class Meta:
        model = ClinicMeasureSettings
        fields = ["baseline_instruments", "change_method"]
        labels = {"change_method": _("How change is judged")}
        widgets = {"change_method": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["baseline_instruments"].choices = [  # type: ignore[attr-defined]
            (entry.id, entry.instrument.short_name) for entry in catalog.catalog().values()
        ]

    def clean_baseline_instruments(self) -> list[str]:
        # in the catalogue's order, whatever order the browser sent them in
        chosen = set(self.cleaned_data["baseline_instruments"])
        return [entry_id for entry_id in catalog.catalog() if entry_id in chosen]
