"""What the motivation tools hold, and how what people type becomes what is kept.

Four tools a motivational-interviewing clinician uses with a client:

- the readiness ruler (kept by the assessments app as the "readiness-ruler"
  questionnaire; here only the choice of a number is checked);
- the decisional balance: four boxes of short items, each optionally with how
  much it matters (1–5);
- the values card sort: each card sorted into one of three piles, then up to
  five top values, each with an optional note on how the client's use fits or
  pulls against it;
- the stage of change: which of five plain statements fits best.

No database here: the models store what ``normalise_*`` returns as encrypted
JSON, and these functions are what every write goes through, so a tampered
form cannot store anything else. Errors carry a message fit to show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.core.errors import DomainError

FORMAT_VERSION = 1
ITEM_MAX_LENGTH = 200
MAX_ITEMS_PER_BOX = 12
NOTE_MAX_LENGTH = 2000
MAX_TOP_VALUES = 5
WEIGHTS = (1, 2, 3, 4, 5)
READINESS_VALUES = tuple(range(11))
# How long without a readiness number before Today suggests one (stage 1 and 2 only).
READINESS_STALE_AFTER = timedelta(weeks=4)

TOOLS = ("readiness", "balance", "values", "stage")


class MotivationContentError(DomainError):
    """What was sent cannot be kept as it is; the message says what to change, kindly."""

    code = "motivation_refused"


# --- decisional balance --------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """One of the four boxes of the decisional balance."""

    key: str
    title: Any  # lazy translated text
    prompt: Any
    side: str  # "now" (things as they are) or "change"
    example: Any


BOXES: tuple[Box, ...] = (
    Box(
        "now_good",
        gettext_lazy("What I get from things as they are"),
        gettext_lazy("The good things about keeping things the way they are now."),
        "now",
        gettext_lazy("It helps me switch off after work"),
    ),
    Box(
        "now_costs",
        gettext_lazy("What things as they are cost me"),
        gettext_lazy("The not-so-good things about the way things are now."),
        "now",
        gettext_lazy("I am tired most mornings"),
    ),
    Box(
        "change_costs",
        gettext_lazy("What worries me about changing"),
        gettext_lazy("The not-so-good things about making a change: what it might cost you."),
        "change",
        gettext_lazy("I do not know what I would do instead at night"),
    ),
    Box(
        "change_good",
        gettext_lazy("What changing could give me"),
        gettext_lazy("The good things that could come from making a change."),
        "change",
        gettext_lazy("More time and energy for the people I love"),
    ),
)
BOX_KEYS = tuple(b.key for b in BOXES)


def box(key: str) -> Box:
    for candidate in BOXES:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def _weight(raw: Any) -> int | None:
    if raw in (None, ""):
        return None
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        raise MotivationContentError(
            _("How much something matters is a number from 1 to 5, or left empty.")
        ) from None
    if number not in WEIGHTS:
        raise MotivationContentError(
            _("How much something matters is a number from 1 to 5, or left empty.")
        )
    return number


def normalise_balance(content: Mapping[str, Iterable[Any]]) -> dict[str, list[dict[str, Any]]]:
    """The four boxes as lists of ``{"text", "weight"}``; empty lines dropped.

    Items may be given as text or as ``{"text", "weight"}``. Unknown boxes,
    over-long items, too many items, a weight outside 1–5 and a balance with
    nothing in any box are refused.
    """
    unknown = set(content) - set(BOX_KEYS)
    if unknown:
        raise MotivationContentError(_("The balance has a box Waypost does not know."))
    clean: dict[str, list[dict[str, Any]]] = {}
    for key in BOX_KEYS:
        items = []
        for raw in content.get(key, ()) or ():
            if isinstance(raw, Mapping):
                text, weight = raw.get("text", ""), raw.get("weight")
            else:
                text, weight = raw, None
            text = " ".join(str(text or "").split())
            if not text:
                continue
            if len(text) > ITEM_MAX_LENGTH:
                raise MotivationContentError(
                    _("Please keep each line under %(n)d characters.") % {"n": ITEM_MAX_LENGTH}
                )
            items.append({"text": text, "weight": _weight(weight)})
        if len(items) > MAX_ITEMS_PER_BOX:
            raise MotivationContentError(
                _("Each box holds up to %(n)d lines; “%(box)s” has more.")
                % {"n": MAX_ITEMS_PER_BOX, "box": box(key).title}
            )
        clean[key] = items
    if not any(clean.values()):
        raise MotivationContentError(
            _("Nothing to save yet: write at least one thing in any of the four boxes.")
        )
    return clean


# --- values card sort --------------------------------------------------------------

VERY, IMPORTANT, NOT = "very", "important", "not"
PILES = (VERY, IMPORTANT, NOT)
PILE_LABELS = {
    VERY: gettext_lazy("Very important to me"),
    IMPORTANT: gettext_lazy("Important to me"),
    NOT: gettext_lazy("Not important to me"),
}


def normalise_sort(piles: Mapping[str, str], known_cards: Iterable[str]) -> dict[str, str]:
    """``{card: pile}`` for the cards sorted; unsorted cards are left out.

    An unknown card or pile, or a sort with no card in any pile, is refused.
    """
    known = set(known_cards)
    clean: dict[str, str] = {}
    for card, pile in piles.items():
        if card not in known:
            raise MotivationContentError(_("One of the cards is not in this card set."))
        if pile in (None, ""):
            continue
        if pile not in PILES:
            raise MotivationContentError(
                _("Each card goes into one of the three piles, or is left unsorted.")
            )
        clean[card] = pile
    if not clean:
        raise MotivationContentError(_("Nothing sorted yet: put at least one card into a pile."))
    return clean


def top_candidates(piles: Mapping[str, str]) -> list[str]:
    """Cards that can be a top value: very important first, then important."""
    return [c for c, p in piles.items() if p == VERY] + [
        c for c, p in piles.items() if p == IMPORTANT
    ]


def normalise_top(
    top: Iterable[Mapping[str, Any] | str], piles: Mapping[str, str]
) -> list[dict[str, str]]:
    """Up to five ``{"card", "note"}``, each a card the client sorted as (very) important."""
    allowed = set(top_candidates(piles))
    clean: list[dict[str, str]] = []
    seen: set[str] = set()
    for raw in top:
        card, note = (
            (raw.get("card", ""), raw.get("note", ""))
            if isinstance(raw, Mapping)
            else (
                raw,
                "",
            )
        )
        if card in seen:
            continue
        if card not in allowed:
            raise MotivationContentError(
                _("Top values come from the cards you sorted as important to you.")
            )
        note = str(note or "").strip()
        if len(note) > NOTE_MAX_LENGTH:
            raise MotivationContentError(
                _("Please keep each note under %(n)d characters.") % {"n": NOTE_MAX_LENGTH}
            )
        seen.add(card)
        clean.append({"card": card, "note": note})
    if len(clean) > MAX_TOP_VALUES:
        raise MotivationContentError(_("Please choose up to %(n)d values.") % {"n": MAX_TOP_VALUES})
    return clean


def carry_top(top: Iterable[Mapping[str, str]], piles: Mapping[str, str]) -> list[dict[str, str]]:
    """Top values (with notes) that still qualify after a new sort, in their order."""
    allowed = set(top_candidates(piles))
    return [dict(t) for t in top if t.get("card") in allowed][:MAX_TOP_VALUES]


# --- stage of change -----------------------------------------------------------------


@dataclass(frozen=True)
class ChangeStage:
    """One statement of the stage-of-change picker.

    The client reads the statement, its detail and ``plain_name`` ("Getting ready");
    the clinician's pages add ``name``, the stage's exact term in the transtheoretical
    model ("Preparation"), which a client's page never shows.
    """

    key: str
    statement: Any  # lazy: what the client picks, in their words
    detail: Any
    name: Any  # the stage's name in the transtheoretical model, for clinicians
    plain_name: Any  # a short, warm name for the same place, for the client


CHANGE_STAGES: tuple[ChangeStage, ...] = (
    ChangeStage(
        "precontemplation",
        gettext_lazy("I am not thinking about changing this right now"),
        gettext_lazy("It does not feel like something to change at the moment, or not yet."),
        gettext_lazy("Precontemplation"),
        gettext_lazy("Not sure yet"),
    ),
    ChangeStage(
        "contemplation",
        gettext_lazy("I am thinking about it"),
        gettext_lazy("Part of me wants to change and part of me is not sure."),
        gettext_lazy("Contemplation"),
        gettext_lazy("Thinking about it"),
    ),
    ChangeStage(
        "preparation",
        gettext_lazy("I am getting ready"),
        gettext_lazy("I have decided to change and I am working out how."),
        gettext_lazy("Preparation"),
        gettext_lazy("Getting ready"),
    ),
    ChangeStage(
        "action",
        gettext_lazy("I am making changes"),
        gettext_lazy("I am doing things differently now, even if some days are harder."),
        gettext_lazy("Action"),
        gettext_lazy("Making changes"),
    ),
    ChangeStage(
        "maintenance",
        gettext_lazy("I am keeping changes going"),
        gettext_lazy("The changes have lasted a while and I am looking after them."),
        gettext_lazy("Maintenance"),
        gettext_lazy("Keeping it going"),
    ),
)
CHANGE_STAGE_KEYS = tuple(s.key for s in CHANGE_STAGES)


def change_stage(key: str) -> ChangeStage | None:
    for stage in CHANGE_STAGES:
        if stage.key == key:
            return stage
    return None


# --- readiness ----------------------------------------------------------------------


def parse_readiness(raw: Any) -> int:
    """A whole number from 0 to 10, or a plain message saying so."""
    message = _("Please choose a number from 0 to 10.")
    text = str(raw if raw is not None else "").strip()
    if not re.fullmatch(r"-?[0-9]{1,3}", text):
        raise MotivationContentError(message)
    number = int(text)
    if number not in READINESS_VALUES:
        raise MotivationContentError(message)
    return number


def readiness_is_stale(last: datetime | None, now: datetime) -> bool:
    """No readiness number yet, or the latest is older than four weeks."""
    return last is None or now - last >= READINESS_STALE_AFTER


# --- storage ------------------------------------------------------------------------


def dumps(data: Mapping[str, Any]) -> str:
    """Stable JSON for the encrypted field (same content, same text)."""
    return json.dumps(
        {"format": FORMAT_VERSION, **data},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def loads(text: str) -> dict[str, Any]:
    data = json.loads(text) if text else {}
    data.pop("format", None)
    return data
