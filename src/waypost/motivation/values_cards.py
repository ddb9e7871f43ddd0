"""The value cards of the values card sort: short names with a one-line description.

Written for Waypost in our own words, after the idea of the Personal Values
Card Sort (Miller, C'de Baca, Matthews & Wilbourne, University of New Mexico,
2001), which its authors placed in the public domain. Its 83 cards are not
copied here: this is a shorter set of 34, grouped so the sort fits a phone,
with a few values that matter often in recovery (self-control, honesty,
intimacy). Keys are stable: saved sorts refer to cards by key, so a card may
be reworded but must never change its key or meaning. Wording lives in Python
(not in a data file) so it is translated with the rest of the interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

SOURCE = (
    "Miller WR, C'de Baca J, Matthews DB, Wilbourne PL. Personal Values Card Sort. "
    "University of New Mexico; 2001 (public domain). Waypost's card set is its own wording."
)


@dataclass(frozen=True)
class ValueCard:
    key: str
    name: Any  # lazy translated text
    description: Any


@dataclass(frozen=True)
class CardGroup:
    key: str
    title: Any
    cards: tuple[ValueCard, ...]


GROUPS: tuple[CardGroup, ...] = (
    CardGroup(
        "people",
        _("People and closeness"),
        (
            ValueCard("family", _("Family"), _("Being close to my family and there for them.")),
            ValueCard("friendship", _("Friendship"), _("Having friends I trust and who know me.")),
            ValueCard("love", _("Love"), _("Loving and being loved.")),
            ValueCard(
                "intimacy",
                _("Intimacy"),
                _("Real closeness with a partner, in feelings as well as in body."),
            ),
            ValueCard("caring", _("Caring"), _("Looking after the people around me.")),
            ValueCard("kindness", _("Kindness"), _("Being gentle and warm with others.")),
            ValueCard("loyalty", _("Loyalty"), _("Standing by the people who count on me.")),
            ValueCard(
                "parenthood",
                _("Being a parent"),
                _("Raising children with care, now or one day."),
            ),
            ValueCard(
                "community", _("Community"), _("Belonging to a wider group and doing my part.")
            ),
            ValueCard(
                "generosity", _("Generosity"), _("Giving my time, help or things to others.")
            ),
        ),
    ),
    CardGroup(
        "character",
        _("The person I want to be"),
        (
            ValueCard("honesty", _("Honesty"), _("Telling the truth and living without secrets.")),
            ValueCard(
                "authenticity",
                _("Being genuine"),
                _("Living as who I really am, without a mask."),
            ),
            ValueCard(
                "self-respect",
                _("Self-respect"),
                _("Feeling all right about who I am and what I do."),
            ),
            ValueCard(
                "self-control",
                _("Self-control"),
                _("Acting on what I choose rather than on every impulse."),
            ),
            ValueCard("courage", _("Courage"), _("Facing what scares me instead of avoiding it.")),
            ValueCard(
                "responsibility",
                _("Responsibility"),
                _("Keeping my promises and owning my choices."),
            ),
            ValueCard(
                "fairness",
                _("Fairness"),
                _("Treating people justly and standing up for what is right."),
            ),
            ValueCard(
                "forgiveness",
                _("Forgiveness"),
                _("Letting go of old hurts, including the ones I hold against myself."),
            ),
            ValueCard("acceptance", _("Acceptance"), _("Taking myself and others as we are.")),
        ),
    ),
    CardGroup(
        "living",
        _("Body, mind and everyday life"),
        (
            ValueCard("health", _("Health"), _("Looking after my body: sleep, food and movement.")),
            ValueCard("calm", _("Calm"), _("A settled, peaceful mind.")),
            ValueCard("fun", _("Fun"), _("Play, laughter and enjoying life.")),
            ValueCard("adventure", _("Adventure"), _("New experiences and a sense of discovery.")),
            ValueCard("nature", _("Nature"), _("Time outdoors and care for the living world.")),
            ValueCard(
                "freedom", _("Freedom"), _("Making my own choices, not being run by anything.")
            ),
            ValueCard(
                "security", _("Security"), _("A safe, steady life, with enough money to live on.")
            ),
        ),
    ),
    CardGroup(
        "meaning",
        _("Growth and meaning"),
        (
            ValueCard("growth", _("Growth"), _("Learning and becoming more than I was.")),
            ValueCard("knowledge", _("Knowledge"), _("Understanding how things and people work.")),
            ValueCard("creativity", _("Creativity"), _("Making things and having new ideas.")),
            ValueCard(
                "achievement", _("Achievement"), _("Doing something worthwhile, and doing it well.")
            ),
            ValueCard(
                "meaningful-work",
                _("Meaningful work"),
                _("Work or study that feels worth the effort."),
            ),
            ValueCard("purpose", _("Purpose"), _("A clear sense of what my life is for.")),
            ValueCard(
                "spirituality",
                _("Spiritual life"),
                _("Faith, prayer or a spiritual path, as I understand it."),
            ),
            ValueCard(
                "tradition", _("Tradition"), _("Honouring my culture and where I come from.")
            ),
        ),
    ),
)

CARDS: dict[str, ValueCard] = {card.key: card for group in GROUPS for card in group.cards}


def card(key: str) -> ValueCard | None:
    """The card with this key, or None for a key no longer in the set."""
    return CARDS.get(key)
