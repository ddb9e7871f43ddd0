"""The choices page's form: channels per kind, a time for timed kinds, and quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.accounts.forms import NotificationsForm
from waypost.notifications import choices as choice_rules
from waypost.notifications.kinds import Channel, NotificationKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.accounts.models import User

CHANNEL_LABELS: dict[Channel, StrOrPromise] = {
    Channel.IN_APP: _("In Waypost"),
    Channel.EMAIL: _("E-mail"),
    Channel.PUSH: _("On my devices"),
}


class QuietHoursForm(NotificationsForm):
    """The quiet hours of "Me", on the choices page too (the e-mail switch follows the kinds)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("email_reminders", None)


@dataclass(frozen=True)
class KindRow:
    """One kind on the choices page: its fields (none when it is locked)."""

    kind: NotificationKind
    choice: choice_rules.Choice
    channel_fields: list[tuple[Channel, forms.BoundField]]
    time_field: forms.BoundField | None

    @property
    def locked_channels(self) -> list[tuple[Channel, StrOrPromise]]:
        return [(c, CHANNEL_LABELS[c]) for c in Channel if c in self.kind.defaults]


def _name(kind: NotificationKind, what: str) -> str:
    return f"{kind.field_key}__{what}"


class ChoicesForm(forms.Form):
    """A checkbox per channel of each kind the person gets (not the locked ones)."""

    def __init__(
        self,
        *args: Any,
        mine: list[tuple[NotificationKind, choice_rules.Choice]],
        channels: list[Channel],
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {}
        for kind, choice in mine:
            for channel in channels:
                initial[_name(kind, channel)] = channel in choice.channels
            if kind.timed:
                initial[_name(kind, "at")] = choice.at_time
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.mine = mine
        self.channels = channels
        for kind, _choice in mine:
            if kind.locked:
                continue
            for channel in channels:
                self.fields[_name(kind, channel)] = forms.BooleanField(
                    label=CHANNEL_LABELS[channel], required=False
                )
            if kind.timed:
                self.fields[_name(kind, "at")] = forms.TimeField(
                    label=kind.time_label or _("At"),
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    help_text=_("In your time zone. Leave it empty for none."),
                )

    def rows(self) -> list[KindRow]:
        found = []
        for kind, choice in self.mine:
            if kind.locked:
                found.append(KindRow(kind, choice, [], None))
                continue
            found.append(
                KindRow(
                    kind,
                    choice,
                    [(c, self[_name(kind, c)]) for c in self.channels],
                    self[_name(kind, "at")] if kind.timed else None,
                )
            )
        return found

    def chosen(self) -> dict[str, choice_rules.Choice]:
        """What was ticked, per kind key (after ``is_valid``). Channels not offered stay."""
        data = self.cleaned_data
        found = {}
        for kind, before in self.mine:
            if kind.locked:
                continue
            ticked = {c for c in self.channels if data.get(_name(kind, c))}
            # A channel this page does not offer (push, where devices are not supported)
            # keeps what was chosen before.
            kept = {c for c in before.channels if c not in self.channels}
            at = data.get(_name(kind, "at")) if kind.timed else None
            found[kind.key] = choice_rules.Choice(frozenset(ticked | kept), at)
        return found


def kind_offers_push(kind: NotificationKind) -> bool:
    """Whether ``kind`` can come by push: the person ticks it, or it is locked with push on."""
    return not kind.locked or Channel.PUSH in kind.defaults


def offered_channels(user: User, *, push: bool) -> list[Channel]:
    """The channels the page offers: push only where this site can reach the person's devices."""
    return [c for c in Channel if push or c != Channel.PUSH]
