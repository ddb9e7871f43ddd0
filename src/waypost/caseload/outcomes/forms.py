"""The outcomes page's filters: which period, whose clients.

Read from the query string. Anything that cannot be used (a date that is no date, a
start after the end, a clinician the viewer may not pick) is said plainly and replaced by
the default for that filter only, so a mistyped date keeps the chosen clinician. The
default clients are the whole clinic's, or, for a clinician not offered the whole clinic
(``scope.choices``), their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.caseload.outcomes import scope as scopes

if TYPE_CHECKING:
    from django.http import QueryDict

    from waypost.clinics.models import ClinicianProfile


class OutcomesFilterForm(forms.Form):
    period = forms.ChoiceField(
        choices=list(scopes.PRESETS.items()),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("That period is not one on offer.")},
    )
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("The first day is not a date we can read.")},
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("The last day is not a date we can read.")},
    )
    clinician = forms.TypedChoiceField(
        label=gettext_lazy("Clients"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Those clients are not among the ones you can see, so these are the whole "
                "clinic's figures."
            )
        },
    )

    def __init__(
        self,
        data: QueryDict | dict[str, Any] | None,
        *,
        clinicians: list[ClinicianProfile],
        own_profile_id: int | None,
        today: date,
        whole_clinic: bool = True,
    ) -> None:
        super().__init__(data)
        self.today = today
        self._clinician_options: list[tuple[int | str, str]] = [
            (profile.pk, _label(profile, own_profile_id)) for profile in clinicians
        ]
        if whole_clinic or not clinicians:
            self._clinician_options.insert(0, ("", _("Whole clinic")))
        field = self.fields["clinician"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = self._clinician_options
        if not whole_clinic and clinicians:
            field.error_messages["invalid_choice"] = _(
                "Those clients are not among the ones you can see, so these are your own "
                "clients' figures."
            )

    def clinician_options(self) -> list[tuple[int | str, str]]:
        """``(value, label)`` of each choice: "" for the whole clinic, else a profile id."""
        return self._clinician_options

    def clean_start(self) -> date | None:
        start: date | None = self.cleaned_data.get("start")
        if start is not None and start < scopes.EARLIEST:
            raise forms.ValidationError(
                _("Please choose a first day from %(year)d on.") % {"year": scopes.EARLIEST.year}
            )
        if start is not None and start > self.today:
            raise forms.ValidationError(_("The first day is still to come."))
        return start

    def clean_end(self) -> date | None:
        end: date | None = self.cleaned_data.get("end")
        if end is not None and end < scopes.EARLIEST:
            raise forms.ValidationError(
                _("Please choose a last day from %(year)d on.") % {"year": scopes.EARLIEST.year}
            )
        # Days still to come have nothing to count: the period ends today.
        return min(end, self.today) if end is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and start > end:
            self.add_error("end", _("The last day is before the first day."))
        return data


def _label(profile: ClinicianProfile, own_profile_id: int | None) -> str:
    if profile.pk == own_profile_id:
        return _("Your clients")
    name = profile.user.name or profile.user.email
    if not profile.is_active:
        return _("%(name)s’s clients (no longer at the clinic)") % {"name": name}
    return _("%(name)s’s clients") % {"name": name}


@dataclass
class Filters:
    """What the page shows, and what could not be used of what was asked."""

    period: scopes.Period
    clinician: ClinicianProfile | None
    problems: list[str] = field(default_factory=list)


def read_filters(
    query: QueryDict,
    *,
    clinicians: list[ClinicianProfile],
    own_profile_id: int | None,
    today: date,
    whole_clinic: bool = True,
) -> tuple[OutcomesFilterForm, Filters]:
    """The filters asked for in ``query``, each falling back to its default if unusable.

    Chosen dates win over a preset; with neither, the last 90 days. A first day alone
    runs to today; a last day alone runs from the very beginning. Without the whole
    clinic on offer, the clients are the first (the only) clinician's on offer.
    """
    asked = {key: query.get(key, "") for key in ("period", "start", "end", "clinician")}
    form = OutcomesFilterForm(
        asked,
        clinicians=clinicians,
        own_profile_id=own_profile_id,
        today=today,
        whole_clinic=whole_clinic,
    )
    form.is_valid()
    data = form.cleaned_data
    problems = [str(error) for errors in form.errors.values() for error in errors]
    if "start" in data and "end" in data and (data["start"] or data["end"]):
        period = scopes.Period(data["start"], data["end"] or today)
    elif asked["start"] or asked["end"] or "period" not in data:
        # Dates or a period that could not be used: the default period, said so.
        period = scopes.preset_period(scopes.DEFAULT_PRESET, today)
        problems.append(_("So the figures are for the last 90 days."))
    else:
        period = scopes.preset_period(data["period"] or scopes.DEFAULT_PRESET, today)
    chosen = data.get("clinician")
    clinician = next((p for p in clinicians if p.pk == chosen), None)
    if clinician is None and not whole_clinic and clinicians:
        clinician = clinicians[0]
    return form, Filters(period, clinician, problems)
