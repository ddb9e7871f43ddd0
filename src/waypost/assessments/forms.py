"""Forms for assigning measures, planning sessions, importing, and the clinic's choice."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waypost.assessments import instrument_check, instruments, scoring
from waypost.assessments.models import Assignment, ClinicMeasureSettings

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # Django's form classes take no type arguments at run time; the stubs want the model.
    _SettingsForm = forms.ModelForm[ClinicMeasureSettings]
else:
    _SettingsForm = forms.ModelForm

MAX_IMPORT_BYTES = 512 * 1024


def instrument_choices(clinic_id: int | None = None) -> list[tuple[str, StrOrPromise]]:
    """The questionnaires a clinician of this clinic can give: installed, then its own."""
    return [("", _("Choose a questionnaire"))] + [
        (entry.id, f"{entry.instrument.short_name} — {entry.measures}")
        for entry in instruments.available(clinic_id).values()
    ]


class AssignForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"))
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

    def __init__(self, *args: Any, clinic_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the installed questionnaires and this clinic's own published ones, never another's
        self.fields["instrument"].choices = instrument_choices(clinic_id)  # type: ignore[attr-defined]

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
        # the installed questionnaires and the clinic's own published ones
        self.available = instruments.available(self.instance.clinic_id)
        self.fields["baseline_instruments"].choices = [  # type: ignore[attr-defined]
            (entry.id, entry.instrument.short_name) for entry in self.available.values()
        ]

    def clean_baseline_instruments(self) -> list[str]:
        # in the catalogue's order, whatever order the browser sent them in
        chosen = set(self.cleaned_data["baseline_instruments"])
        return [entry_id for entry_id in self.available if entry_id in chosen]


# --- a clinic's own questionnaires -------------------------------------------------------


class InstrumentUploadForm(forms.Form):
    """A questionnaire file, read as bytes (the service checks what it holds)."""

    file = forms.FileField(
        label=_("Questionnaire file (JSON)"),
        help_text=_(
            "A FHIR Questionnaire with a “waypost” section, at most 256 KB. Every problem "
            "in it is named; nothing is saved until it passes every check."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > instrument_check.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)d KB; a questionnaire file may be at most %(max)d KB.")
                % {"size": upload.size // 1024, "max": instrument_check.MAX_FILE_BYTES // 1024}
            )
        raw: bytes = upload.read(instrument_check.MAX_FILE_BYTES + 1)
        return raw


class ExamplesFileForm(InstrumentUploadForm):
    """Worked examples as the examples file holds them (``waypost instruments check``)."""

    file = forms.FileField(
        label=_("Examples file (JSON)"),
        help_text=_(
            "A list of examples, each {“answers”: […], “total”: …, “band”: …, “flags”: […]}, "
            "as “waypost instruments check --examples” reads it."
        ),
    )


class ExampleForm(forms.Form):
    """One worked example: the answers in item order, and what the publication says."""

    answers = forms.CharField(
        label=_("Answers"),
        max_length=2000,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    total = forms.CharField(
        label=_("Total the publication gives"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    band = forms.ChoiceField(label=_("Band the publication gives"), required=False)
    flags = forms.MultipleChoiceField(
        label=_("Flags it raises"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every flag the example raises; none ticked means it raises none."),
    )
    note = forms.CharField(
        label=_("Where it comes from (optional)"),
        required=False,
        max_length=instrument_check.MAX_NOTE,
        help_text=_("For example “Table 2, page 5”."),
    )

    def __init__(self, *args: Any, instrument: scoring.Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        count = len(instrument.items)
        self.fields["answers"].help_text = _(
            "The score of each chosen answer, in question order, separated by commas: "
            "%(n)d numbers, e.g. %(sample)s."
        ) % {"n": count, "sample": ",".join(_sample(item) for item in instrument.items)}
        bands = [(b.label, b.label) for b in instrument.bands]
        if bands:
            self.fields["band"].choices = [("", _("Choose the band")), *bands]  # type: ignore[attr-defined]
            self.fields["band"].required = True
        else:
            del self.fields["band"]
        flags = [c.flag for c in instrument.critical] + [s.flag for s in instrument.screens]
        if flags:
            self.fields["flags"].choices = [(f, f) for f in flags]  # type: ignore[attr-defined]
        else:
            del self.fields["flags"]

    def clean_total(self) -> scoring.Number:
        text = self.cleaned_data["total"].strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise forms.ValidationError(_("Please give the total as a number.")) from None
        if not math.isfinite(number):
            raise forms.ValidationError(_("Please give the total as a number."))
        return int(number) if number.is_integer() else number

    def clean_answers(self) -> list[scoring.Number]:
        items = self.instrument.items
        try:
            answers = scoring.parse_answers(self.cleaned_data["answers"])
        except scoring.AnswerError:
            raise forms.ValidationError(
                _("Please give numbers separated by commas, e.g. %(sample)s.")
                % {"sample": ",".join(_sample(item) for item in items)}
            ) from None
        if len(answers) != len(items):
            raise forms.ValidationError(
                ngettext(
                    "This questionnaire has %(n)d question; you gave %(count)d scores.",
                    "This questionnaire has %(n)d questions: give one score for each. "
                    "You gave %(count)d.",
                    len(items),
                )
                % {"n": len(items), "count": len(answers)}
            )
        for position, (item, value) in enumerate(zip(items, answers, strict=True), start=1):
            if item.option_for(value) is None:
                raise forms.ValidationError(
                    _("Answer %(n)d is %(value)s, but question %(n)d's answers score %(allowed)s.")
                    % {
                        "n": position,
                        "value": scoring.plain_number(value),
                        "allowed": ", ".join(scoring.plain_number(x) for x in item.scores),
                    }
                )
        return answers

    def example(self) -> instrument_check.Example:
        """The example as entered (after ``is_valid()``)."""
        data = self.cleaned_data
        raw: dict[str, Any] = {"answers": data["answers"], "total": data["total"]}
        if "band" in self.fields:
            raw["band"] = data["band"]
        raw["flags"] = list(data.get("flags") or [])
        if data.get("note"):
            raw["note"] = data["note"]
        return instrument_check.read_example(raw, self.instrument)


def _sample(item: scoring.Item) -> str:
    return scoring.plain_number(item.low)
