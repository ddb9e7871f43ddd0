"""The clinic admin's Shield forms: the clinic's settings, and a name for one of its lists.

The forms check the shape of what was sent; ``clinic_services`` decides whether it may be
saved (and says why not).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypost.shield import blocklist
from waypost.shield.clinic_services import ClinicShieldSettings
from waypost.shield.models import SILENCE_HOURS_MAX, SILENCE_HOURS_MIN

if TYPE_CHECKING:
    from django.forms.boundfield import BoundWidget
    from django_stubs_ext import StrOrPromise

#: Each category Shield can block, in words for a clinic admin: what it is, what it costs.
CATEGORY_WORDS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "adult": (
        _("Adult sites"),
        _("Sexually explicit sites and videos. Blocked unless you choose otherwise."),
    ),
    "dating": (
        _("Dating and hook-up sites"),
        _("Dating services and sites for meeting up with strangers."),
    ),
    "gambling": (_("Gambling"), _("Betting, casinos and lotteries online.")),
    "bypass": (
        _("Ways around the filter"),
        _(
            "Public DNS services, VPNs and proxies: the usual ways a device stops using "
            "Shield. Ticked here, they are blocked for every client; otherwise a clinician "
            "can block them for one client from the client's record."
        ),
    ),
    "social": (
        _("Social media"),
        _(
            "The big social networks and video sites. Blocking them also cuts clients off "
            "from friends, family and news, so most clinics leave this off."
        ),
    ),
    "custom": (
        _("The installation's own list"),
        _(
            "Sites whoever runs Waypost listed themselves. Your clinic's block-list below "
            "is separate and always applies."
        ),
    ),
}

#: SafeSearch levels, in words: what each does to search engines and YouTube.
SAFESEARCH_WORDS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "strict": (
        _("Strict"),
        _(
            "Google, Bing and DuckDuckGo always use SafeSearch, and YouTube its strict "
            "Restricted Mode."
        ),
    ),
    "moderate": (
        _("Moderate"),
        _(
            "The search engines the same (they have one enforced level), and YouTube its "
            "moderate Restricted Mode."
        ),
    ),
    "off": (_("Off"), _("Search engines and YouTube are left as each device has them.")),
}


class ClinicShieldForm(forms.Form):
    """What Shield blocks for every client of the clinic, SafeSearch, and the silence limit."""

    categories = forms.MultipleChoiceField(
        label=_("What Shield blocks"),
        choices=[(key, CATEGORY_WORDS.get(key, (key, ""))[0]) for key in blocklist.CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Please tick at least one kind of site for Shield to block."),
            "invalid_choice": _("Please choose from the kinds of sites listed."),
        },
    )
    safesearch = forms.ChoiceField(
        label=_("SafeSearch"),
        choices=[(key, words[0]) for key, words in SAFESEARCH_WORDS.items()],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a SafeSearch level."),
            "invalid_choice": _("Please choose a SafeSearch level: strict, moderate or off."),
        },
    )
    silence_hours = forms.IntegerField(
        label=_("A device is silent after (hours)"),
        min_value=SILENCE_HOURS_MIN,
        max_value=SILENCE_HOURS_MAX,
        help_text=_(
            "When Shield has not heard from a device for longer than this, the client's "
            "clinician gets a “Shield silent” alert: the device may have been switched off, "
            "removed or set to get around Shield. From 2 hours to a week (168). Checked every "
            "15 minutes."
        ),
        error_messages={
            "required": _("Please give a number of hours."),
            "invalid": _("Please give the hours as a whole number."),
            "min_value": _("Please give at least %(limit_value)s hours."),
            "max_value": _("Please give at most %(limit_value)s hours (a week)."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, current: ClinicShieldSettings, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "categories": list(current.categories),
                "safesearch": current.safesearch,
                "silence_hours": current.silence_hours,
            },
        )
        super().__init__(*args, **kwargs)

    def category_rows(self) -> list[tuple[BoundWidget, StrOrPromise]]:
        """Each category's checkbox with the sentence that explains it."""
        return [
            (option, CATEGORY_WORDS.get(str(option.data["value"]), ("", ""))[1])
            for option in self["categories"]
        ]

    def safesearch_rows(self) -> list[tuple[BoundWidget, StrOrPromise]]:
        """Each SafeSearch level's radio button with what it does."""
        return [
            (option, SAFESEARCH_WORDS.get(str(option.data["value"]), ("", ""))[1])
            for option in self["safesearch"]
        ]


LISTS = {"allow": True, "block": False}


class ClinicListForm(forms.Form):
    """A name for the clinic's allow-list or block-list (``list``: ``"allow"`` or ``"block"``)."""

    list = forms.ChoiceField(
        choices=[("allow", _("Always allowed")), ("block", _("Always blocked"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Please choose the allow-list or the block-list."),
            "invalid_choice": _("Please choose the allow-list or the block-list."),
        },
    )
    name = forms.CharField(
        label=_("Web address"),
        max_length=253,
        help_text=_("Such as example.com. Every address below it counts too."),
        error_messages={
            "required": _("Please write the web address."),
            "max_length": _("A web address has at most %(limit_value)d characters."),
        },
    )

    @property
    def allow(self) -> bool:
        """Whether the cleaned form names the allow-list (call after ``is_valid``)."""
        return LISTS[self.cleaned_data["list"]]
