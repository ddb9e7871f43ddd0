"""The report form: who it is for, which sections, which period; checked again by the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports.models import ProgressReport


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class _SectionsField(forms.MultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("There is no section called “%(value)s”."),
        "required": _("Please tick at least one section."),
    }


class ReportForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=ProgressReport.Purpose.choices,
        widget=forms.RadioSelect,
        initial=ProgressReport.Purpose.CLIENT,
    )
    sections = _SectionsField(
        label=_("What to include"),
        choices=[(s.key, s.title) for s in catalogue.SECTIONS],
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=_DateInput(),
        input_formats=["%Y-%m-%d"],
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=_DateInput(),
        input_formats=["%Y-%m-%d"],
    )
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, purpose: str = ProgressReport.Purpose.CLIENT, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if purpose not in ProgressReport.Purpose.values:
            purpose = ProgressReport.Purpose.CLIENT
        self.fields["purpose"].initial = purpose
        self.fields["sections"].initial = list(catalogue.DEFAULTS[purpose])

    @property
    def default_keys(self) -> dict[str, str]:
        """Each purpose's sections ticked to begin with, as words for ``reports.js``."""
        return {purpose: " ".join(keys) for purpose, keys in catalogue.DEFAULTS.items()}

    def section_rows(self) -> list[tuple[Any, str]]:
        """Each section's checkbox with the sentence on what it holds, for the template."""
        return [
            (box, str(catalogue.BY_KEY[str(box.data["value"])].description))
            for box in self["sections"]
        ]
