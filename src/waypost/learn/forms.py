"""Forms of the reading library: the client's reflection note and the clinician's assignment."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.learn.content import Module

NOTE_MAX_LENGTH = 5000


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Your note (optional)"),
        help_text=_("Only you can see this. It is stored encrypted."),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _("Please keep your note under %(limit_value)d characters."),
        },
    )


class AssignForm(forms.Form):
    """Choose a module and, if you like, a date to read it by."""

    module = forms.ChoiceField(
        label=_("Module"),
        error_messages={
            "required": _("Please choose a module."),
            "invalid_choice": _("Please choose a module from the list."),
        },
    )
    due_on = forms.DateField(
        label=_("Read by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date, such as 2025-03-31.")},
    )

    def __init__(self, *args: Any, modules: list[Module], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.modules = {m.slug: m for m in modules}
        cast(forms.ChoiceField, self.fields["module"]).choices = [("", _("Choose a module…"))] + [
            (m.slug, _label(m)) for m in modules
        ]

    def clean_due_on(self) -> date | None:
        due_on: date | None = self.cleaned_data.get("due_on")
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(_("Please choose today or a later date."))
        return due_on

    @property
    def chosen_module(self) -> Module:
        return self.modules[self.cleaned_data["module"]]


def _label(module: Module) -> str:
    label = _("Stage %(n)d · %(title)s") % {"n": module.stage, "title": module.title}
    if module.core:
        label = _("%(label)s (core)") % {"label": label}
    return str(label)
