from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.program.models import Stage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.clinics.models import Clinic


class StageChangeForm(forms.Form):
    to_stage = forms.TypedChoiceField(label=_("Move to"), coerce=int, choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept in the record. The client sees that the stage changed, not this note."),
    )

    def __init__(self, *args: Any, current_stage: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [s for s in Stage if abs(s.value - current_stage) == 1]
        choices: list[tuple[int | str, StrOrPromise]] = [
            (s.value, f"{s.value}. {s.label}") for s in options
        ]
        forward = [s for s in options if s.value > current_stage]
        if forward:
            self.fields["to_stage"].initial = forward[0].value
        else:
            # In the last stage the only move is back: never preselect it.
            choices = [("", _("Choose…")), *choices]
        cast(forms.ChoiceField, self.fields["to_stage"]).choices = choices


class InviteClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))

    def __init__(self, *args: Any, clinics: Iterable[Clinic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinics = {clinic.pk: clinic for clinic in clinics}
        if len(self.clinics) > 1:
            # A clinician at several clinics chooses where the client joins.
            self.fields["clinic"] = forms.TypedChoiceField(
                label=_("Clinic"),
                coerce=int,
                choices=[(clinic.pk, clinic.name) for clinic in clinics],
            )

    @property
    def clinic(self) -> Clinic | None:
        if len(self.clinics) == 1:
            return next(iter(self.clinics.values()))
        chosen: int | None = getattr(self, "cleaned_data", {}).get("clinic")
        return self.clinics.get(chosen) if chosen is not None else None

    def clean(self) -> dict[str, Any]:
        from django.utils import timezone

        from waypost.accounts.models import Invitation
        from waypost.program.models import Enrollment

        super().clean()
        data = self.cleaned_data
        email = (data.get("email") or "").strip().lower()
        clinic = self.clinic
        if not email or clinic is None:
            return data
        data["email"] = email
        if Enrollment.objects.filter(
            clinic=clinic, client__email__iexact=email, status=Enrollment.Status.ACTIVE
        ).exists():
            self.add_error("email", _("This person is already a client of this clinic."))
        elif Invitation.objects.filter(
            clinic=clinic,
            kind=Invitation.Kind.CLIENT,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).exists():
            self.add_error(
                "email", _("An invitation to this address is already waiting for them to open it.")
            )
        return data
