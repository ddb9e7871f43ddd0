"""Discretion: the words that must never show where someone else may see them.

A browser tab, an e-mail subject, a calendar entry on a shared or synced calendar, a
lock-screen notification: these are seen by whoever is near the phone or shares the
calendar. Text Waypost puts there must not say what the program is about (UX.md:
"Discreet"). Text that comes from elsewhere (a meeting's name in a fellowship's feed,
a group's name a clinician typed) is checked with :func:`is_discreet` and replaced
by a neutral word when it is not.
"""

from __future__ import annotations

import re

# Words (and the starts of words) that say what the program is about.
INDISCREET = re.compile(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse", re.IGNORECASE)


def is_discreet(text: str) -> bool:
    """True when ``text`` says nothing about what Waypost is for."""
    return INDISCREET.search(text) is None


def discreet(text: str, fallback: str) -> str:
    """``text`` when it is discreet, else ``fallback`` (a neutral word: "Meeting")."""
    return text if is_discreet(text) else fallback
