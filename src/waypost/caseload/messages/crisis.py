"""Crisis words in a message: a small, pure matcher over our own list of phrases.

The phrases live in ``crisis_phrases.txt`` beside this module (content is data). A
message matches when one of them appears as whole words, whatever the case,
punctuation or spacing. Apostrophes are ignored on both sides, so "can't" and
"cant" are one phrase; hyphens count as spaces ("self-harm", "self harm").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

PHRASES_FILE = Path(__file__).with_name("crisis_phrases.txt")

_APOSTROPHES = re.compile(r"['\u2019\u2018`´]")
_NOT_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Lower case, no apostrophes, every run of non-word characters one space, padded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHES.sub("", text)
    return " " + " ".join(_NOT_WORD.sub(" ", text).split()) + " "


def parse(lines: str) -> tuple[str, ...]:
    """The phrases of a phrase file's text: comments and blank lines left out, normalised."""
    phrases: list[str] = []
    for line in lines.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        phrase = normalise(line)
        if phrase.strip() and phrase not in phrases:
            phrases.append(phrase)
    return tuple(phrases)


@cache
def phrases() -> tuple[str, ...]:
    """The shipped phrases, read once."""
    return parse(PHRASES_FILE.read_text(encoding="utf-8"))


def find(text: str, among: tuple[str, ...] | None = None) -> list[str]:
    """The phrases (normalised, trimmed) found in ``text`` as whole words, in list order."""
    haystack = normalise(text)
    return [p.strip() for p in (among if among is not None else phrases()) if p in haystack]
