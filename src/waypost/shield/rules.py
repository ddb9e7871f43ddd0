"""What Shield does with a name: answer it blocked, rewrite it for SafeSearch, or forward it.

One function, ``decide``, on the hot path of every lookup. It reads a ``Policy`` (what
applies to the device asking: its categories, allow- and block-lists, lockdown, SafeSearch)
and the compiled blocklist, in this order:

1. the Firefox canary ``use-application-dns.net`` is answered NXDOMAIN, always: a browser
   that sees it keeps using the system resolver (Shield) instead of its own DNS-over-HTTPS
   (https://support.mozilla.org/kb/canary-domain-use-application-dnsnet);
2. in *urge lockdown* only the device's allow-list (and the names Shield itself needs)
   resolve; everything else is blocked;
3. the allow-list (clinic's and client's) wins over every list below it;
4. the block-list (clinic's and client's) blocks;
5. SafeSearch: the search engines' and YouTube's names are answered with a CNAME to their
   enforced-safe addresses;
6. the compiled blocklist blocks the categories the policy blocks;
7. anything else is forwarded to the upstream resolvers.

Lists match a name and every name below it: allowing ``example.com`` allows
``www.example.com``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

CANARY = "use-application-dns.net"


class Matcher(Protocol):
    """A blocklist (``blocklist.Blocklist``, or several as one): a name's category, or None."""

    def match(self, name: str) -> str | None: ...


class Verdict(Enum):
    FORWARD = "forward"
    BLOCK = "block"
    REWRITE = "rewrite"  # a CNAME to ``Decision.target``


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    category: str = ""  # why it was blocked: a blocklist category, "lockdown", "custom", "canary"
    target: str = ""  # the CNAME target of a rewrite


FORWARD = Decision(Verdict.FORWARD)
CANARY_BLOCK = Decision(Verdict.BLOCK, "canary")
LOCKDOWN_BLOCK = Decision(Verdict.BLOCK, "lockdown")
LISTED_BLOCK = Decision(Verdict.BLOCK, "custom")


class SafeSearch(Enum):
    OFF = "off"
    MODERATE = "moderate"
    STRICT = "strict"


@dataclass(frozen=True)
class Policy:
    """What applies to one device (or, standalone, to every query)."""

    categories: frozenset[str] = frozenset({"adult"})  # blocklist categories blocked
    allow: frozenset[str] = frozenset()  # names (and below) never blocked
    block: frozenset[str] = frozenset()  # names (and below) always blocked
    safesearch: SafeSearch = SafeSearch.STRICT
    lockdown: bool = False  # allow-list only (urge lockdown), decided by the caller's clock
    # Names that resolve in lockdown besides the allow-list (the clinic's own site, Shield).
    essentials: frozenset[str] = field(default_factory=frozenset)


def suffixes(name: str) -> list[str]:
    """``name`` and each parent domain: a.b.c → a.b.c, b.c, c."""
    out = [name]
    start = name.find(".")
    while start != -1:
        out.append(name[start + 1 :])
        start = name.find(".", start + 1)
    return out


def _listed(names: frozenset[str], name: str) -> bool:
    if not names:
        return False
    return any(suffix in names for suffix in suffixes(name))


# --- SafeSearch ---------------------------------------------------------------------------

# Google's search on every country domain: google.com, google.co.uk, google.com.sg,
# google.de, google.cat … (its list of supported domains is all of this shape).
_GOOGLE = re.compile(r"^(?:www\.)?google\.(?:com?\.)?[a-z]{2,3}$|^(?:www\.)?google\.cat$")
GOOGLE_SAFE = "forcesafesearch.google.com"
BING = frozenset({"bing.com", "www.bing.com"})
BING_SAFE = "strict.bing.com"
DUCKDUCKGO = frozenset({"duckduckgo.com", "www.duckduckgo.com", "start.duckduckgo.com"})
DUCKDUCKGO_SAFE = "safe.duckduckgo.com"
YOUTUBE = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "youtubei.googleapis.com",
        "youtube.googleapis.com",
        "www.youtube-nocookie.com",
    }
)
YOUTUBE_SAFE = {
    SafeSearch.STRICT: "restrict.youtube.com",
    SafeSearch.MODERATE: "restrictmoderate.youtube.com",
}


def safesearch_target(name: str, level: SafeSearch) -> str | None:
    """The enforced-safe name to answer ``name`` with, or None."""
    if level is SafeSearch.OFF:
        return None
    if name in YOUTUBE:
        return YOUTUBE_SAFE[level]
    if name in BING:
        return BING_SAFE  # Bing has one enforced level
    if name in DUCKDUCKGO:
        return DUCKDUCKGO_SAFE
    if "google." in name and _GOOGLE.match(name):
        return GOOGLE_SAFE  # Google has one enforced level
    return None


def decide(name: str, policy: Policy, blocklist: Matcher | None) -> Decision:
    """What to do with a lookup of ``name`` (lower-case, no trailing dot) under ``policy``."""
    if name == CANARY:
        return CANARY_BLOCK
    if policy.lockdown:
        if _listed(policy.allow, name) or _listed(policy.essentials, name):
            return FORWARD
        return LOCKDOWN_BLOCK
    if _listed(policy.allow, name):
        return FORWARD
    if _listed(policy.block, name):
        return LISTED_BLOCK
    target = safesearch_target(name, policy.safesearch)
    if target is not None:
        return Decision(Verdict.REWRITE, target=target)
    if blocklist is not None:
        category = blocklist.match(name)
        if category is not None and category in policy.categories:
            return Decision(Verdict.BLOCK, category)
    return FORWARD
