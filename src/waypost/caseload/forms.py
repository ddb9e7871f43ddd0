from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.program.models import Stage


class StageChangeForm(forms.Form):
    to_stage = forms.TypedChoiceField(label=_("Move to"), coerce=int, choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept in the record. The client sees that the stage changed, not this note."),
    )

    def __init__(self, *args, current_stage: int, **kwargs):
        super().__init__(*args, **kwargs)
        options = [s for s in Stage if abs(s.value - current_stage) == 1]
        self.fields["to_stage"].choices = [(s.value, f"{s.value}. {s.label}") for s in options]
        if options:
            forward = [s for s in options if s.value > current_stage]
            self.fields["to_stage"].initial = (forward or options)[0].value


class InviteClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
