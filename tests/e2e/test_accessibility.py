"""Story: every page each role can reach is accessible, and loads nothing from another host.

Pages are found by crawling same-origin links from each role's start pages
(tests/e2e/roles.py), so new pages are checked without editing this file.
Checked at phone width, where layouts are tightest. One crawl per role
serves several checks: no page answers with a server error; every request
the browser makes goes to the live server; tab titles are discreet; axe-core
finds no serious or critical violation; nothing is wider than the phone; the
content security policy blocks nothing.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.cast import PASSWORD
from tests.e2e.conftest import PHONE, sign_in
from tests.e2e.crawl import crawl, pattern_of
from tests.e2e.data import populate
from tests.e2e.roles import CRAWL_LIMIT, CRAWL_ROLES

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
# Words that must not appear in a browser tab (UX.md: discreet).
INDISCREET = re.compile(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse", re.IGNORECASE)
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    # WCAG 2.2 A/AA plus axe's best practices (landmarks, headings, region …).
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


# URL patterns already crawled by a signed-in role in this session. The account pages
# (password, two-factor, tokens, help) are the same for every role, so later roles
# do not check them again; their own start pages are always checked.
_seen_when_signed_in: set[str] = set()


def run_axe(page) -> list[dict]:
    """axe-core's violations on the current page (the script is injected by the context)."""
    return page.evaluate(
        "options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS
    )


def describe(path: str, violation: dict) -> str:
    """One violation, readable in a test failure."""
    lines = [
        f"{path}: {violation['id']} ({violation['impact']}) — {violation['help']}",
        f"    {violation['helpUrl']}",
    ]
    for node in violation["nodes"][:5]:
        target = " ".join(str(t) for t in node["target"])
        lines.append(f"    at {target}")
        lines.append(f"       {node['html'][:200]}")
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        if summary:
            lines.append(f"       {summary[:300]}")
    if len(violation["nodes"]) > 5:
        lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def foreign_requests(urls: list[str], base_url: str) -> list[str]:
    """Requests that left the live server (data: and blob: URLs stay in the page)."""
    own = urlsplit(base_url).netloc
    return sorted(
        {u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
        - {u for u in urls if urlsplit(u).netloc == own}
    )


@pytest.mark.parametrize("role", CRAWL_ROLES, ids=[r.name for r in CRAWL_ROLES])
def test_every_page_is_accessible_and_self_hosted(role, e2e_cast, new_page, live_server):
    # Given a person in this role on a phone, with the browser noting every request
    page = new_page(PHONE)
    page.context.add_init_script(AXE_SCRIPT)
    requests: list[str] = []
    csp_reports: dict[str, set[str]] = {}
    page.context.on("request", lambda request: requests.append(request.url))

    def note_csp(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            blocked = re.search(r"'sha256-[^']+'", message.text)
            what = message.text.split(" violates", 1)[0] + (f" {blocked[0]}" if blocked else "")
            csp_reports.setdefault(what, set()).add(urlsplit(page.url).path)

    page.on("console", note_csp)
    ids = populate(e2e_cast)
    user = role.user(e2e_cast)
    if user is not None:
        sign_in(page, live_server, user.email, PASSWORD)

    blocking: list[str] = []
    minor: list[str] = []
    too_wide: list[str] = []
    indiscreet: list[str] = []

    def check(page, visited):
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            too_wide.append(f"{visited.path} is {width}px wide")
        if INDISCREET.search(visited.title):
            indiscreet.append(f"{visited.path}: {visited.title!r}")
        for violation in run_axe(page):
            text = describe(visited.path, violation)
            (blocking if violation["impact"] in BLOCKING else minor).append(text)

    # When every page they can reach by following links is opened and checked with axe-core
    visited = crawl(
        page,
        live_server.url,
        role.paths(e2e_cast, ids),
        limit=CRAWL_LIMIT,
        on_page=check,
        already_seen=_seen_when_signed_in if user is not None else None,
    )
    checked = [v.path for v in visited if v.is_html_page]
    print(f"\n{role.name}: checked {len(checked)} pages: {', '.join(checked)}")
    if minor:
        print(f"{role.name}: moderate/minor axe findings (not failing):\n" + "\n".join(minor))

    # Then none of them breaks
    assert len(checked) >= len(role.start_paths)
    errors = [f"{v.path} answered {v.status}" for v in visited if (v.status or 0) >= 500]
    assert not errors, "\n".join(errors)
    # and the pages this role must reach (tests/e2e/roles.py) were opened and shown
    reached = {pattern_of(v.url) for v in visited if v.is_html_page and v.status == 200}
    missed = [p for p in role.must_visit if p not in reached]
    assert not missed, (
        f"{role.name}'s crawl did not open (with a 200) these pages, so they went unchecked: "
        f"{', '.join(missed)}; check the links to them, the data in tests/e2e/data.py, "
        "and CRAWL_LIMIT"
    )
    # and nothing was loaded from another host
    outside = foreign_requests(requests, live_server.url)
    assert not outside, f"{role.name}'s pages loaded from other hosts:\n" + "\n".join(outside)
    # and the browser tab says nothing about what the app is for
    assert not indiscreet, "page titles that give the subject away:\n" + "\n".join(indiscreet)
    # and none has a serious or critical accessibility violation
    assert not blocking, (
        f"{len(blocking)} serious/critical accessibility violation(s) for {role.name}:\n"
        + "\n".join(blocking)
    )
    # and none needs sideways scrolling on a 390 px phone (wide tables scroll in their own box)
    assert not too_wide, f"pages wider than the {PHONE}px phone:\n" + "\n".join(too_wide)
    # and the content security policy had nothing to block (it would hide a broken page)
    assert not csp_reports, (
        f"the content security policy blocked something on {role.name}'s pages:\n"
        + "\n".join(f"{what} on {', '.join(sorted(paths))}" for what, paths in csp_reports.items())
    )
