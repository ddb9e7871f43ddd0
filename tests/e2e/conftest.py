"""End-to-end set-up: Debian's Chromium driven by Playwright against pytest-django's live server.

Why the browser is package-scoped rather than session-scoped: Playwright's
sync API keeps an asyncio event loop marked as running in the main thread
for as long as it is started, and Django refuses ORM calls from a thread
with a running loop (SynchronousOnlyOperation). So the browser lives only
while the e2e tests run (one browser for all of them), with
DJANGO_ALLOW_ASYNC_UNSAFE set for exactly that time, and is closed before
the rest of the suite carries on.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium keeps dialling hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = 390
DESKTOP = 1280
VIEWPORTS = {PHONE: {"width": 390, "height": 844}, DESKTOP: {"width": 1280, "height": 900}}
TIMEOUT_MS = 10_000

# Serve on 127.0.0.1 rather than "localhost": Chromium tries IPv6 first and each page
# costs noticeably more. Still overridable with --liveserver or the variable itself.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test under tests/e2e/ is an e2e test, even if its author forgets the mark.

    They also share one of two xdist groups: with ``-n`` (and ``--dist loadgroup``,
    set in pyproject) each group runs one test after another in one worker, which
    starts one Chromium and sets DJANGO_ALLOW_ASYNC_UNSAFE once, while the other
    workers take the rest of the suite. Two groups of about equal length (``FIRST``
    names the files of the first) let two cores share the browser tests, which take
    as long as all the others together. (tryfirst: the group must be on the items
    before xdist reads it.)
    """
    here = Path(__file__).parent
    for item in items:
        path = Path(str(item.fspath))
        if here in path.parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e-1" if path.name in FIRST else "e2e-2"))


# The longest files, about half of the browser tests' time (see --durations in CI).
FIRST = frozenset(
    {
        "test_accessibility.py",
        "test_clinic_questionnaire.py",
        "test_plans_and_lapses.py",
        "test_me.py",
        "test_behind_tls_proxy.py",
    }
)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all e2e tests; skipped (or failed, when CI is set) if it is missing."""
    if not CHROMIUM.exists():
        message = (
            f"End-to-end tests need Debian's Chromium at {CHROMIUM} "
            "(apt-get install chromium); it was not found."
        )
        if os.environ.get("CI"):
            pytest.fail(message + " CI is set, so this is a failure, not a skip.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def page_for(browser, width: int = PHONE, base_url: str | None = None):
    """A fresh page in its own context (own cookies) at phone (390) or desktop (1280) size.

    Close it with ``page.context.close()``; the ``new_page`` fixture does that for you.
    """
    context = browser.new_context(
        viewport=VIEWPORTS.get(width, {"width": width, "height": 900}),
        base_url=base_url,
        locale="en-GB",
        timezone_id="Asia/Singapore",
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def sign_in(page, live_server, email: str, password: str) -> None:
    """Sign in through the real /login/ form, as a person would."""
    from playwright.sync_api import expect

    base = getattr(live_server, "url", live_server)
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Signed in once the page after the form is no longer the sign-in page.
    expect(page).not_to_have_url(f"{base}/login/")
    expect(page.get_by_role("button", name="Sign out", include_hidden=True).first).to_be_attached()


@pytest.fixture
def new_page(browser, live_server):
    """Factory: ``new_page(width)`` opens a page on the live server; all closed after the test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    opened = []

    def factory(width: int = PHONE):
        page = page_for(browser, width, base_url=live_server.url)
        opened.append(page)
        return page

    yield factory
    for page in opened:
        page.context.close()


@pytest.fixture
def e2e_cast(transactional_db, live_server):
    """The fixed cast (tests/cast.py), committed so the live server's thread can see it."""
    from tests.cast import build_cast

    return build_cast()


@pytest.fixture
def signed_in(new_page, live_server):
    """Factory: ``signed_in(user, width)`` returns a page signed in as ``user``."""
    from tests.cast import PASSWORD

    def factory(user, width: int = PHONE):
        page = new_page(width)
        sign_in(page, live_server, user.email, PASSWORD)
        return page

    return factory
