"""The built-in modules: enough of them, the right length, sources, and questions at the end."""

from __future__ import annotations

import re

import pytest

from waypost.learn.content import BUILT_IN_DIR, load_library

LIBRARY = load_library([BUILT_IN_DIR])
MODULES = list(LIBRARY)


def test_there_are_at_least_twelve_modules_and_five_are_core():
    assert len(MODULES) >= 12
    assert len(LIBRARY.core) == 5


def test_the_topics_the_program_relies_on_are_there():
    slugs = {m.slug for m in MODULES}
    assert {
        "five-cs",
        "supernormal-stimulus",
        "early-abstinence",
        "shame-and-secrecy",
        "lapses-are-information",
        "what-recovery-looks-like",
        "triggers-and-the-chain",
        "values-and-distress",
        "talking-to-a-partner",
        "for-partners-and-families",
        "sleep-stress-and-the-body",
        "a-life-worth-staying-for",
    } <= slugs


def test_allies_have_their_own_module_and_the_shared_ones():
    for_allies = {m.slug for m in LIBRARY.for_allies()}
    assert "for-partners-and-families" in for_allies
    assert LIBRARY.get("for-partners-and-families").audience == "ally"
    assert "talking-to-a-partner" not in for_allies


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_each_module_is_500_to_1000_words(module):
    assert 500 <= module.words <= 1000


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_each_module_ends_with_two_or_three_questions_to_reflect_on(module):
    heading, _, questions = module.body.rpartition("## Questions to reflect on")
    assert heading, "the last section is 'Questions to reflect on'"
    items = re.findall(r"^\d+\. .+\?$", questions.strip(), re.MULTILINE)
    assert 2 <= len(items) <= 3
    assert "\n## " not in questions


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_each_module_cites_full_references(module):
    assert module.sources
    for source in module.sources:
        # authors, (year), title, where it was published
        assert re.search(r"\((19|20)\d\d\)\.", source), source
        assert len(source) > 40, source


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_no_module_uses_words_we_avoid(module):
    # UX.md: lapse and learning, not failure as a verdict; no clean/dirty; no "addict" label.
    text = module.body.lower()
    for word in (r"\bclean\b", r"\bdirty\b", r"\baddicts?\b", r"reset to zero"):
        assert not re.search(word, text), word
