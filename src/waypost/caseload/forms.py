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
        choices = [(s.value, f"{s.value}. {s.label}") for s in options]
        forward = [s for s in options if s.value > current_stage]
        if forward:
            self.fields["to_stage"].initial = forward[0].value
        else:
            # In the last stage the only move is back: never preselect it.
            choices = [("", _("Choose…")), *choices]
        self.fields["to_stage"].choices = choices


class InviteClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic

    def clean_email(self) -> str:
        from django.utils import timezone

        from waypost.accounts.models import Invitation
        from waypost.program.models import Enrollment

        email = self.cleaned_data["email"].strip().lower()
        if Enrollment.objects.filter(
            clinic=self.clinic, client__email__iexact=email, status=Enrollment.Status.ACTIVE
        ).exists():
            raise forms.ValidationError(_("This person is already a client of this clinic."))
        if Invitation.objects.filter(
            clinic=self.clinic,
            kind=Invitation.Kind.CLIENT,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).exists():
            raise forms.ValidationError(
                _("An invitation to this address is already waiting for them to open it.")
            )
        return email
