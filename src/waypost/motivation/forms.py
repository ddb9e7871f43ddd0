"""Forms of the motivation tools. All work without JavaScript, one thumb on a phone.

Each form checks what it can (choices, lengths) and leaves the rules of the
tool to ``waypost.motivation.tools``, which the services apply again on save.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from waypost.motivation import tools
from waypost.motivation.models import DecisionalBalance, StageOfChangeEntry, ValuesCardSort
from waypost.motivation.selectors import Ruler
from waypost.motivation.values_cards import CARDS, GROUPS

READINESS_ERROR = _("Please choose a number from 0 to 10.")


class ReadinessForm(forms.Form):
    """Where are you today? One number from 0 to 10, worded by the instrument file."""

    readiness = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": READINESS_ERROR, "invalid_choice": READINESS_ERROR},
    )

    def __init__(self, *args: Any, ruler: Ruler, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.ruler = ruler
        field = cast(forms.ChoiceField, self.fields["readiness"])
        field.label = ruler.question
        field.choices = [(str(o.value), o.display) for o in ruler.options]


# --- decisional balance ------------------------------------------------------------

WEIGHT_ERROR = _("How much it matters is a number from 1 to 5, or left empty.")
EXTRA_ROWS = 3
_ROW = re.compile(r"^(?P<box>[a-z_]+)-(?P<index>\d+)-(?:text|weight)$")


class BalanceForm(forms.Form):
    """The four boxes, each a few lines of text with an optional 1–5 for how much it matters.

    Without JavaScript, "more lines" re-shows the form with three more empty
    lines per box (``more=True``), keeping what was typed. ``content()`` gives
    the boxes for ``services.save_balance``.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        balance: DecisionalBalance | None = None,
        more: bool = False,
        **kwargs: Any,
    ):
        super().__init__(data, **kwargs)
        existing = balance.data if balance else {}
        self.rows: dict[str, int] = {}
        for box in tools.BOXES:
            items = existing.get(box.key, [])
            if data is not None:
                posted = [
                    int(m["index"])
                    for key in data
                    if (m := _ROW.match(key)) and m["box"] == box.key
                ]
                count = max(posted, default=-1) + 1
            else:
                count = len(items) + EXTRA_ROWS
            if more:
                count += EXTRA_ROWS
            count = min(max(count, EXTRA_ROWS), tools.MAX_ITEMS_PER_BOX)
            self.rows[box.key] = count
            for index in range(count):
                item = items[index] if data is None and index < len(items) else {}
                self.fields[f"{box.key}-{index}-text"] = forms.CharField(
                    label=_("Line %(n)d") % {"n": index + 1},
                    required=False,
                    max_length=tools.ITEM_MAX_LENGTH,
                    initial=item.get("text", ""),
                    # two lines tall, so a longer line stays readable on a phone
                    widget=forms.Textarea(
                        attrs={
                            "rows": 2,
                            "maxlength": tools.ITEM_MAX_LENGTH,
                            "autocapitalize": "sentences",
                            "placeholder": (
                                format_lazy(_("e.g. {example}"), example=box.example)
                                if index == 0
                                else ""
                            ),
                        }
                    ),
                    error_messages={
                        "max_length": _("Please keep each line under %(limit_value)d characters.")
                    },
                )
                self.fields[f"{box.key}-{index}-weight"] = forms.TypedChoiceField(
                    label=_("How much it matters"),
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "–"), *[(str(w), str(w)) for w in tools.WEIGHTS]],
                    initial=str(item["weight"]) if item.get("weight") else "",
                    error_messages={"invalid_choice": WEIGHT_ERROR},
                )

    def box_rows(self) -> list[tuple[tools.Box, list[tuple[Any, Any, int]]]]:
        """For the template: each box with its (text field, weight field, line number)."""
        return [
            (
                box,
                [
                    (self[f"{box.key}-{i}-text"], self[f"{box.key}-{i}-weight"], i + 1)
                    for i in range(self.rows[box.key])
                ],
            )
            for box in tools.BOXES
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        content = {
            box.key: [
                {
                    "text": cleaned.get(f"{box.key}-{i}-text", ""),
                    "weight": cleaned.get(f"{box.key}-{i}-weight"),
                }
                for i in range(self.rows[box.key])
            ]
            for box in tools.BOXES
        }
        try:
            self._content = tools.normalise_balance(content)
        except tools.MotivationContentError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned

    def content(self) -> dict[str, list[dict[str, Any]]]:
        return self._content


# --- values card sort --------------------------------------------------------------

PILE_SHORT = {
    tools.VERY: _("Very important"),
    tools.IMPORTANT: _("Important"),
    tools.NOT: _("Not important"),
}


class SortForm(forms.Form):
    """One radio group per card: very important, important, not important (or unsorted)."""

    def __init__(self, *args: Any, sort: ValuesCardSort | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        piles = sort.piles if sort else {}
        for key, card in CARDS.items():
            self.fields[f"card-{key}"] = forms.ChoiceField(
                label=card.name,
                help_text=card.description,
                required=False,
                choices=[(p, PILE_SHORT[p]) for p in tools.PILES],
                initial=piles.get(key, ""),
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _(
                        "Each card goes into one of the three piles, or is left unsorted."
                    )
                },
            )

    def groups(self) -> list[tuple[Any, list[tuple[Any, Any]]]]:
        return [(g, [(c, self[f"card-{c.key}"]) for c in g.cards]) for g in GROUPS]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        try:
            self._piles = tools.normalise_sort(
                {key: cleaned.get(f"card-{key}", "") for key in CARDS}, CARDS
            )
        except tools.MotivationContentError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned

    def piles(self) -> dict[str, str]:
        return self._piles


TOP_INVALID = _("Top values come from the cards you sorted as important to you.")


class TopForm(forms.Form):
    """Up to five top values, from the cards sorted as very important or important."""

    values = forms.MultipleChoiceField(
        label=_("Your top values"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Please choose at least one value, or go back to your cards."),
            "invalid_choice": TOP_INVALID,
        },
    )

    def __init__(self, *args: Any, sort: ValuesCardSort, **kwargs: Any):
        super().__init__(*args, **kwargs)
        candidates = tools.top_candidates(sort.piles)
        self.very = {c for c, p in sort.piles.items() if p == tools.VERY}
        cast(forms.MultipleChoiceField, self.fields["values"]).choices = [
            (key, CARDS[key].name) for key in candidates if key in CARDS
        ]
        self.fields["values"].initial = [t["card"] for t in sort.top]

    def options_by_pile(self) -> list[tuple[Any, list[Any]]]:
        """The checkboxes in two groups: very important, then important."""
        very: list[Any] = []
        important: list[Any] = []
        for option in self["values"]:
            (very if option.data["value"] in self.very else important).append(option)
        return [
            (tools.PILE_LABELS[tools.VERY], very),
            (tools.PILE_LABELS[tools.IMPORTANT], important),
        ]

    def clean_values(self) -> list[str]:
        values: list[str] = self.cleaned_data["values"]
        if len(values) > tools.MAX_TOP_VALUES:
            raise forms.ValidationError(
                _("Please choose up to %(n)d values.") % {"n": tools.MAX_TOP_VALUES}
            )
        return values


class NotesForm(forms.Form):
    """For each top value: how does your use fit with it, or pull against it? (optional)"""

    def __init__(self, *args: Any, sort: ValuesCardSort, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for item in sort.top:
            card = CARDS.get(item["card"])
            self.fields[f"note-{item['card']}"] = forms.CharField(
                label=card.name if card else item["card"],
                help_text=card.description if card else "",
                required=False,
                max_length=tools.NOTE_MAX_LENGTH,
                initial=item.get("note", ""),
                widget=forms.Textarea(attrs={"rows": 3, "autocapitalize": "sentences"}),
                error_messages={
                    "max_length": _("Please keep each note under %(limit_value)d characters.")
                },
            )

    def notes(self) -> dict[str, str]:
        return {name.removeprefix("note-"): value for name, value in self.cleaned_data.items()}


# --- stage of change -----------------------------------------------------------------


class StageForm(forms.Form):
    """Which statement fits best today, with an optional note; for clinicians, whose view."""

    view = forms.ChoiceField(
        label=_("Whose view is this?"),
        choices=[
            (StageOfChangeEntry.View.CLIENT, _("The client's, chosen with you in session")),
            (StageOfChangeEntry.View.CLINICIAN, _("Your own view as their clinician")),
        ],
        initial=StageOfChangeEntry.View.CLIENT,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please say whose view this is."),
            "invalid_choice": _("Please say whose view this is."),
        },
    )
    stage = forms.ChoiceField(
        label=_("Which fits best today?"),
        choices=[(s.key, s.statement) for s in tools.CHANGE_STAGES],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose the statement that fits best."),
            "invalid_choice": _("Please choose the statement that fits best."),
        },
    )
    note = forms.CharField(
        label=_("Anything you want to add? (optional)"),
        required=False,
        max_length=tools.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "autocapitalize": "sentences"}),
        error_messages={"max_length": _("Please keep the note under %(limit_value)d characters.")},
    )

    def __init__(self, *args: Any, for_client: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if for_client:
            del self.fields["view"]

    def stage_options(self) -> list[tuple[Any, Any]]:
        """Each radio with its statement's detail and transtheoretical name."""
        stages = {s.key: s for s in tools.CHANGE_STAGES}
        return [(option, stages[option.data["value"]]) for option in self["stage"]]


class AskForm(forms.Form):
    tool = forms.ChoiceField(
        choices=[(t, t) for t in tools.TOOLS],
        error_messages={
            "required": _("Please choose one of the four tools."),
            "invalid_choice": _("Please choose one of the four tools."),
        },
    )
    withdraw = forms.BooleanField(required=False)
