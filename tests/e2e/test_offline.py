"""Story: a Stage 2 client opens Waypost on a phone, the service worker keeps the pages for a
hard moment, the signal goes: the toolbox, an exercise, the urge page and the safety plan
still open; an urge and two practices logged offline wait on the phone and, when the
signal returns (with a second tab open that sends too), arrive exactly once. Signing out
wipes what the phone kept.

This test makes its own browser context: the shared one blocks service workers.
Screenshots go to ``$WAYPOST_SHOTS/offline`` (default <temp>/shots/offline/).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, TIMEOUT_MS, VIEWPORTS, sign_in

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots")) / "offline"

KEPT_PAGES = """async () => {
  const names = await caches.keys();
  if (names.length !== 1) return [];
  const cache = await caches.open(names[0]);
  return (await cache.keys()).map((request) => new URL(request.url).pathname);
}"""

# Polled: each call asks again and answers with what the last asking found (a predicate
# that returns a promise would count as true at once).
WORKERS_GONE = """() => {
  navigator.serviceWorker.getRegistrations().then((r) => { window.__workers = r.length; });
  return window.__workers === 0;
}"""

QUEUE_EMPTY = """() => {
  window.WaypostOffline.pending().then((e) => { window.__waiting = e.length; });
  return window.__waiting === 0;
}"""


def _plans(cast) -> None:
    from waypost.recovery.services.plans import save_prevention_plan
    from waypost.safety.plan_content import Contact
    from waypost.safety.services import save_plan

    save_plan(
        enrollment=cast.enrollment,
        content={"reasons": ["Evenings with my daughter"], "coping": ["A walk by the river"]},
        by=cast.client,
    )
    save_prevention_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        content={
            "if_then": ["If I'm alone with the laptop after ten → I take it to the kitchen"],
            "people": [Contact("Sam", "9123 4567")],
        },
    )


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.screenshot(path=str(SHOTS / f"{name}-{PHONE}.png"), full_page=True)


def test_the_pages_for_a_hard_moment_work_offline_and_queued_logs_arrive_once(
    browser, live_server, e2e_cast
):
    from tests.cast import PASSWORD
    from waypost.recovery.models import Practice, Urge

    # given a Stage 2 client with a safety plan and a relapse-prevention plan
    cast = e2e_cast
    _plans(cast)
    context = browser.new_context(
        viewport=VIEWPORTS[PHONE],
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Asia/Singapore",
        service_workers="allow",
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        page = context.new_page()
        page.clock.install()  # the exercise's clock, moved on by the test, not by waiting

        # when they open the app, the worker installs and keeps the pages for a hard moment
        sign_in(page, live_server, cast.client.email, PASSWORD)
        page.goto("/toolbox/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        kept = page.evaluate(KEPT_PAGES)
        for path in ("/toolbox/", "/toolbox/ride-the-wave-90/", "/help/urge/", "/help/"):
            assert path in kept
        assert "/safety-plan/" in kept and "/urges/new/" in kept
        assert "/today/" not in kept and "/journey/" not in kept  # no other client data

        # and the signal goes
        context.set_offline(True)

        # then the toolbox, an exercise, the urge page and the safety plan still open
        page.goto("/toolbox/")
        expect(page.get_by_role("heading", name="Toolbox", exact=True)).to_be_visible()
        page.goto("/toolbox/quiet-sit/")
        expect(page.get_by_role("heading", name="Sit quietly: a meditation timer")).to_be_visible()
        page.goto("/safety-plan/")
        expect(page.get_by_text("Evenings with my daughter")).to_be_visible()
        page.goto("/help/")
        page.get_by_role("link", name="I'm having an urge").click()
        expect(page.get_by_role("heading", name="You can ride this out")).to_be_visible()
        expect(page.get_by_text("I take it to the kitchen")).to_be_visible()
        expect(page.get_by_role("link", name="Call 9123 4567")).to_be_visible()
        _shot(page, "urge-offline")
        # and a page that is not kept says what still works
        page.goto("/journey/")
        expect(page.get_by_role("heading", name="No signal right now")).to_be_visible()
        expect(page.get_by_role("link", name="Toolbox")).to_be_visible()

        # when they ride out an urge with the 90-second exercise, offline
        page.goto("/help/urge/")
        page.get_by_role("button", name="Start").click()
        page.clock.run_for(91_000)
        expect(page.get_by_text("You stayed with it for 90 seconds.")).to_be_visible()
        expect(page.get_by_text("Saved on this phone")).to_be_visible()

        # and add a sit they did away from the phone
        page.goto("/toolbox/quiet-sit/")
        page.get_by_label("Minutes you practised").fill("5")
        page.get_by_role("button", name="Add to my practice log").click()
        expect(page.get_by_text("Saved on this phone; it will be sent")).to_be_visible()
        _shot(page, "practice-queued")

        # and log the urge itself
        page.goto("/urges/new/")
        expect(page.locator("form.urge-form[data-offline-queue]")).to_be_attached()
        page.locator("fieldset", has_text="How strong").locator(
            "label.choice", has_text="7"
        ).first.click()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved on this phone; it will be sent")).to_be_visible()

        # then nothing has arrived yet: it waits on the phone
        assert page.evaluate("window.WaypostOffline.pending().then((e) => e.length)") == 3
        assert Practice.objects.count() == 0 and Urge.objects.count() == 0

        # and a second tab is open when the signal returns: both send what waits, and
        # each entry goes once (the tabs claim entries in IndexedDB before sending)
        other = context.new_page()
        other.goto("/toolbox/")
        replays = []
        context.on(
            "request",
            lambda request: (
                replays.append(request.url)
                if request.headers.get("x-waypost-replay") == "1"
                else None
            ),
        )

        # when the signal returns, the queue is sent, once
        context.set_offline(False)
        page.wait_for_function(QUEUE_EMPTY)
        other.wait_for_function(QUEUE_EMPTY)
        assert len(replays) == 3, replays
        page.reload()  # a new page replays whatever is left: nothing
        page.goto("/toolbox/")
        assert sorted(Practice.objects.values_list("skill", "seconds")) == [
            ("quiet-sit", 300),
            ("ride-the-wave-90", 90),
        ]
        assert Urge.objects.count() == 1
        assert Urge.objects.get().intensity == 7
        assert len(replays) == 3  # and nothing was sent again
        expect(page.get_by_role("region", name="Your practice this week")).to_contain_text("7")

        # when they sign out, the phone keeps nothing of theirs
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(f"{live_server.url}/login/")
        page.wait_for_function(WORKERS_GONE)
        assert page.evaluate("caches.keys()") == []
        assert page.evaluate("indexedDB.databases().then((d) => d.length)") == 0
    finally:
        context.close()
