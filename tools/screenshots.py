"""Full-page screenshots of every page each demo role can reach, at 390 px and 1280 px.

Start a demo server first (``uv run waypost demo``), then::

    uv run python tools/screenshots.py [--base-url http://127.0.0.1:8000] [--out screenshots]

Each role signs in with its demo login (password ``waypost-demo``) and the
same bounded crawler the end-to-end tests use (tests/e2e/crawl.py) follows
same-origin links from its start pages, one page per URL pattern. The PNGs
land in ``<out>/<width>/<role>/<page>.png``; a JSON list of what was saved
is printed at the end. Needs Debian's Chromium at /usr/bin/chromium (or
--chromium).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.e2e.crawl, which imports no Django

from tests.e2e.crawl import crawl  # noqa: E402

DEMO_PASSWORD = "waypost-demo"  # noqa: S105 - the public, documented demo password
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {390: 844, 1280: 900}
# role name: (login e-mail or None for anonymous, start paths)
ROLES: dict[str, tuple[str | None, list[str]]] = {
    "anonymous": (None, ["/specialists/", "/help/", "/login/", "/password/reset/"]),
    "client1": ("client1@demo.waypost.test", ["/today/", "/journey/", "/connect/", "/account/"]),
    "client2": ("client2@demo.waypost.test", ["/today/", "/journey/", "/connect/"]),
    "client3": ("client3@demo.waypost.test", ["/today/", "/journey/"]),
    "client4": ("client4@demo.waypost.test", ["/today/", "/journey/"]),
    "clinician": ("clinician@demo.waypost.test", ["/caseload/"]),
    "admin": ("admin@demo.waypost.test", ["/clinic/"]),
    "ally": ("ally@demo.waypost.test", ["/ally/"]),
}


def slug_for(path: str) -> str:
    """A file name for a URL path: /clients/7/ -> clients-7, / -> index."""
    parts = urlsplit(path)
    name = re.sub(r"[^A-Za-z0-9]+", "-", parts.path).strip("-") or "index"
    if parts.query:
        name += "--" + re.sub(r"[^A-Za-z0-9]+", "-", parts.query).strip("-")[:40]
    return name


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/login/")


def take(browser, base_url: str, out: Path, roles: list[str], limit: int) -> list[dict]:
    saved: list[dict] = []
    for width, height in WIDTHS.items():
        seen: set[str] = set()
        for role in roles:
            email, starts = ROLES[role]
            context = browser.new_context(
                viewport={"width": width, "height": height},
                locale="en-GB",
                timezone_id="Asia/Singapore",
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            if email:
                sign_in(page, base_url, email)
            folder = out / str(width) / role

            def shoot(page, visited, folder=folder, role=role, width=width, height=height):
                folder.mkdir(parents=True, exist_ok=True)
                file = folder / f"{slug_for(visited.path)}.png"
                # Grow the viewport to the whole page rather than using full_page, so
                # fixed bars (the client's bottom navigation) sit at the real bottom
                # instead of floating mid-page in the picture.
                full = page.evaluate("document.documentElement.scrollHeight")
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                page.set_viewport_size({"width": width, "height": max(height, full)})
                page.screenshot(path=str(file))
                page.set_viewport_size({"width": width, "height": height})
                saved.append(
                    {
                        "role": role,
                        "width": width,
                        "path": visited.path,
                        "status": visited.status,
                        "title": visited.title,
                        # wider than the window means sideways scrolling: a layout bug
                        "too_wide": scroll_width > width,
                        "file": str(file),
                    }
                )

            # Pages another signed-in role already showed (account, password, help)
            # are not shot again; each role's own start pages always are.
            crawl(
                page,
                base_url,
                starts,
                limit=limit,
                on_page=shoot,
                already_seen=seen if email else None,
            )
            context.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="screenshots", type=Path, help="output folder")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--role", action="append", choices=sorted(ROLES), help="only these roles (repeatable)"
    )
    parser.add_argument("--limit", type=int, default=40, help="pages per role, at most")
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"Chromium not found at {args.chromium}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    base_url = args.base_url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        try:
            saved = take(browser, base_url, args.out, args.role or list(ROLES), args.limit)
        finally:
            browser.close()
    print(json.dumps(saved, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
