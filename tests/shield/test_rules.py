"""What Shield decides for a name, rule by rule, in the documented order."""

from __future__ import annotations

import pytest

from waypost.shield import rules
from waypost.shield.rules import Decision, Policy, SafeSearch, Verdict, decide


class Listed:
    """A tiny blocklist: the name or a parent listed."""

    def __init__(self, listed: dict[str, str]) -> None:
        self.listed = listed

    def match(self, name: str) -> str | None:
        for suffix in rules.suffixes(name):
            if suffix in self.listed:
                return self.listed[suffix]
        return None


LIST = Listed({"blocked.test": "adult", "dating.test": "dating", "www.google.com": "adult"})


def test_suffixes_walk_up_to_the_top_label():
    assert rules.suffixes("a.b.example.com") == [
        "a.b.example.com",
        "b.example.com",
        "example.com",
        "com",
    ]
    assert rules.suffixes("com") == ["com"]


def test_the_canary_comes_first_even_when_allowed():
    policy = Policy(allow=frozenset({"use-application-dns.net"}))
    assert decide("use-application-dns.net", policy, None) == rules.CANARY_BLOCK


def test_lockdown_blocks_all_but_the_allow_list_and_the_essentials():
    policy = Policy(
        lockdown=True, allow=frozenset({"ok.test"}), essentials=frozenset({"clinic.test"})
    )
    assert decide("www.ok.test", policy, LIST) == rules.FORWARD
    assert decide("app.clinic.test", policy, LIST) == rules.FORWARD
    assert decide("elsewhere.test", policy, LIST) == rules.LOCKDOWN_BLOCK
    # in lockdown SafeSearch names are not exempt either
    assert decide("www.google.com", policy, LIST) == rules.LOCKDOWN_BLOCK


def test_the_allow_list_wins_over_the_block_list_and_the_blocklist():
    policy = Policy(allow=frozenset({"blocked.test"}), block=frozenset({"blocked.test"}))
    assert decide("a.blocked.test", policy, LIST) == rules.FORWARD


def test_the_block_list_blocks_the_name_and_below_only():
    policy = Policy(block=frozenset({"mine.test"}))
    assert decide("x.mine.test", policy, None) == rules.LISTED_BLOCK
    assert decide("notmine.test", policy, None) == rules.FORWARD


def test_safesearch_comes_before_the_blocklist():
    assert decide("www.google.com", Policy(), LIST) == Decision(
        Verdict.REWRITE, target=rules.GOOGLE_SAFE
    )


def test_the_blocklist_blocks_only_the_policys_categories():
    policy = Policy(categories=frozenset({"adult"}))
    assert decide("x.blocked.test", policy, LIST) == Decision(Verdict.BLOCK, "adult")
    assert decide("x.dating.test", policy, LIST) == rules.FORWARD
    assert (
        decide("x.dating.test", Policy(categories=frozenset({"dating"})), LIST).verdict
        is Verdict.BLOCK
    )


@pytest.mark.parametrize(
    "name",
    [
        "google.com",
        "www.google.com",
        "www.google.co.uk",
        "google.com.sg",
        "www.google.de",
        "www.google.cat",
        "www.google.co.jp",
        "www.google.com.au",
    ],
)
def test_google_on_every_country_domain(name):
    assert rules.safesearch_target(name, SafeSearch.STRICT) == rules.GOOGLE_SAFE
    assert rules.safesearch_target(name, SafeSearch.MODERATE) == rules.GOOGLE_SAFE  # one level
    assert rules.safesearch_target(name, SafeSearch.OFF) is None


@pytest.mark.parametrize(
    "name",
    [
        "mygoogle.com",
        "google.evil.test",
        "google.com.evil.test",
        "mail.google.com",
        "forcesafesearch.google.com",
        "googlecom.test",
        "www.googlee.com",
    ],
)
def test_names_that_only_look_like_google_are_left_alone(name):
    assert rules.safesearch_target(name, SafeSearch.STRICT) is None


def test_youtube_has_two_levels_and_the_others_one():
    assert rules.safesearch_target("www.youtube.com", SafeSearch.STRICT) == "restrict.youtube.com"
    assert (
        rules.safesearch_target("youtubei.googleapis.com", SafeSearch.MODERATE)
        == "restrictmoderate.youtube.com"
    )
    assert rules.safesearch_target("www.bing.com", SafeSearch.MODERATE) == "strict.bing.com"
    assert (
        rules.safesearch_target("start.duckduckgo.com", SafeSearch.STRICT) == "safe.duckduckgo.com"
    )
