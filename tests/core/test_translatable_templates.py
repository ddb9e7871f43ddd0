"""Every user-visible string in our templates is marked for translation.

Text outside {% translate %} / {% blocktranslate %} that still holds letters
once HTML tags are stripped is a string a translator would never see.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

import waypost

ROOT = Path(waypost.__file__).parent
TEMPLATES = sorted(
    p for p in ROOT.rglob("templates/**/*") if p.suffix in (".html", ".txt") and p.is_file()
)
# Brand names and symbols are not translated.
ALLOWED = {"Waypost"}
TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


# Blocks whose content is a CSS class, not text.
NON_TEXT_BLOCKS = {"main_class", "body_class"}


def untranslated_text(source: str) -> list[str]:
    """Words outside translation tags, with HTML tags (even split by template tags) removed."""
    parts: list[str] = []
    depth = 0
    skip_block = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.contents.split()
            name = bits[0] if bits else ""
            if name in ("blocktranslate", "blocktrans"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                depth -= 1
            elif name == "block" and len(bits) > 1 and bits[1] in NON_TEXT_BLOCKS:
                skip_block = True
            elif name == "endblock":
                skip_block = False
            parts.append("\x00")
        elif token.token_type == TokenType.TEXT and depth == 0 and not skip_block:
            parts.append(token.contents)
        else:
            parts.append("\x00")
    text = ENTITY.sub(" ", TAG.sub(" ", "".join(parts)))
    return [w for w in re.findall(r"[A-Za-z][A-Za-z']+", text) if w not in ALLOWED]


def test_templates_were_found():
    assert len(TEMPLATES) > 10


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_text_is_translatable(path):
    words = untranslated_text(path.read_text(encoding="utf-8"))
    assert not words, f"untranslated text in {path.relative_to(ROOT)}: {words[:10]}"


def test_the_checker_catches_bare_text():
    assert untranslated_text("<p>Hello {{ name }}</p>") == ["Hello"]
    assert untranslated_text("<p>{% translate 'Hello' %}</p>") == []
    assert untranslated_text("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}") == []
