"""Story: the service worker on a shared computer, for a client and then for a clinician.

A client signs in: their pages register the worker that keeps the pages for a hard
moment (``/sw.js?keep=pages``), and it keeps them. They sign out: nothing stays. Their
clinician signs in on the same browser: their pages register the worker in push-only
mode (``/sw.js``), which keeps nothing (not the caseload, not the app's files) and does
not even look at their requests: offline, the caseload is the browser's own error, not
a copy. A push delivered to that worker (through Chromium's DevTools protocol, as the
browser's push service would hand it over) shows the discreet notification, "Waypost",
"You have something new.", linking to the page inside Waypost.

What cannot be tested here: a real push subscription. Headless Chromium has no push
service to subscribe with (``pushManager.subscribe`` fails), so the server's side of a
subscription is tested in tests/notifications/test_push_staff.py against a push
service on 127.0.0.1, and clicking a shown notification (no way to click one headless).

Its own browser context: the shared one blocks service workers. Screenshots of the
choices page for a clinician and an ally go to ``$WAYPOST_SHOTS/push`` (default
<temp>/shots/push/).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, TIMEOUT_MS, VIEWPORTS, sign_in

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots")) / "push"

# The address of the site's active worker, once there is one (polled, see test_offline.py).
# Not the page's controller: Chromium lets a worker without a fetch handler (push only)
# control no page, which is as well.
ACTIVE_WORKER = """() => {
  navigator.serviceWorker.getRegistration("/").then((r) => {
    window.__worker = r && r.active && !r.installing && !r.waiting ? r.active.scriptURL : "";
  });
  return window.__worker || "";
}"""

KEPT = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) found.push(new URL(request.url).pathname);
  }
  return found;
}"""

WORKERS_GONE = """() => {
  navigator.serviceWorker.getRegistrations().then((r) => { window.__workers = r.length; });
  return window.__workers === 0;
}"""

SHOWN = """() => {
  navigator.serviceWorker.getRegistration("/").then((r) => r.getNotifications()).then((n) => {
    window.__shown = n.map((x) => ({ title: x.title, body: x.body, url: x.data && x.data.url }));
  });
  return window.__shown && window.__shown.length ? window.__shown : null;
}"""


def _context(browser, live_server, width: int = PHONE):
    context = browser.new_context(
        viewport=VIEWPORTS[width],
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Asia/Singapore",
        service_workers="allow",
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    return context


def _worker(page) -> str:
    return page.wait_for_function(ACTIVE_WORKER).json_value()


def _sign_out(page, live_server) -> None:
    page.get_by_role("button", name="Sign out").first.click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    page.wait_for_function(WORKERS_GONE)


def test_a_clinicians_worker_only_shows_notifications_and_keeps_nothing(
    browser, live_server, e2e_cast
):
    from tests.cast import PASSWORD

    cast = e2e_cast
    context = _context(browser, live_server)
    try:
        page = context.new_page()
        # given a client used this browser: their worker keeps the pages for a hard moment
        sign_in(page, live_server, cast.client.email, PASSWORD)
        page.goto("/toolbox/")
        assert _worker(page).endswith("/sw.js?keep=pages")
        assert "/toolbox/" in page.evaluate(KEPT)
        # and signed out: nothing of theirs stays
        _sign_out(page, live_server)
        assert page.evaluate("caches.keys()") == []

        # when their clinician signs in on it and opens the caseload and a client's record
        sign_in(page, live_server, cast.clinician.email, PASSWORD)
        page.goto("/caseload/")
        # then the worker is there, in push-only mode
        assert _worker(page) == f"{live_server.url}/sw.js"
        page.goto(f"/caseload/{cast.enrollment.pk}/")
        page.goto("/help/")
        page.goto("/caseload/")
        expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
        # and it kept nothing: no page, not even the app's own files
        assert page.evaluate("caches.keys()") == []
        assert page.evaluate("window.indexedDB.databases().then((d) => d.length)") == 0

        # when a push arrives for them
        context.grant_permissions(["notifications"], origin=live_server.url)
        cdp = context.new_cdp_session(page)
        registrations: list[dict] = []
        cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: registrations.extend(event["registrations"]),
        )
        cdp.send("ServiceWorker.enable")
        for _ in range(100):  # the registrations come as events, soon after
            if registrations:
                break
            page.wait_for_timeout(50)
        (registration,) = [r for r in registrations if not r.get("isDeleted")]
        message = {
            "title": "Waypost",
            "body": "You have something new.",
            "url": "/risk/",
            "icon": "/static/waypost/icon-192.png",
            "tag": "waypost-1",
        }
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server.url,
                "registrationId": registration["registrationId"],
                "data": json.dumps(message),
            },
        )
        # then it shows the discreet notification, linking to the page in Waypost
        shown = page.wait_for_function(SHOWN).json_value()
        assert shown == [
            {
                "title": "Waypost",
                "body": "You have something new.",
                "url": f"{live_server.url}/risk/",
            }
        ]
        # and still keeps nothing
        assert page.evaluate("caches.keys()") == []

        # when the signal goes, their pages are not there: the worker kept no copy
        context.set_offline(True)
        with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
            page.goto("/caseload/")
        context.set_offline(False)

        # when they sign out, the worker goes (and their device's notifications with it)
        page.goto("/caseload/")
        _sign_out(page, live_server)
        assert page.evaluate("caches.keys()") == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_staff_and_allies_are_offered_notifications_on_their_devices(
    browser, live_server, e2e_cast, width
):
    from tests.cast import PASSWORD

    cast = e2e_cast
    SHOTS.mkdir(parents=True, exist_ok=True)
    for who, user in (("clinician", cast.clinician), ("ally", cast.ally_all)):
        context = _context(browser, live_server, width)
        try:
            page = context.new_page()
            sign_in(page, live_server, user.email, PASSWORD)
            page.goto("/notifications/choices/")
            expect(
                page.get_by_role("button", name="Turn on notifications on this device")
            ).to_be_visible()
            expect(page.get_by_text("it keeps none of the pages you open")).to_be_visible()
            assert _worker(page) == f"{live_server.url}/sw.js"
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(SHOTS / f"choices-{who}-{width}.png"), full_page=True)
            assert page.evaluate("caches.keys()") == []
        finally:
            context.close()


def test_a_session_that_runs_out_keeps_notifications_but_no_page(browser, live_server, e2e_cast):
    from django.contrib.sessions.models import Session

    from tests.cast import PASSWORD

    cast = e2e_cast
    context = _context(browser, live_server)
    try:
        page = context.new_page()
        # given a client whose worker keeps the pages for a hard moment
        sign_in(page, live_server, cast.client.email, PASSWORD)
        page.goto("/toolbox/")
        assert _worker(page).endswith("/sw.js?keep=pages")
        assert "/toolbox/" in page.evaluate(KEPT)
        # when their session runs out (not signed out) and a page for nobody signed in opens
        Session.objects.all().delete()
        page.goto("/login/")
        # then the worker stays, for notifications, in push-only mode, and keeps nothing
        page.wait_for_function(
            """() => {
              navigator.serviceWorker.getRegistration("/").then((r) => {
                window.__only = r && r.active && !r.installing && !r.waiting
                  ? r.active.scriptURL : "";
              });
              return window.__only && !window.__only.includes("keep=");
            }"""
        )
        page.wait_for_function(
            """() => {
              caches.keys().then((k) => { window.__caches = k.length; });
              return window.__caches === 0;
            }"""
        )
        assert page.evaluate("caches.keys()") == []
        # and signing in and out again ends it on this device
        sign_in(page, live_server, cast.clinician.email, PASSWORD)
        page.goto("/caseload/")
        assert _worker(page) == f"{live_server.url}/sw.js"
        _sign_out(page, live_server)
    finally:
        context.close()
