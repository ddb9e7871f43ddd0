"""Story: a client chooses a check-in reminder, gets it, and reads it.

On a phone and on a laptop: the client opens their notification choices, picks 20:00
for the check-in reminder, in Waypost and on their devices but not by e-mail, and
saves. The next evening the reminder task runs (time-machine stands in for the clock);
the reminder is in their Notifications list, with the count in the header. Marking it
read clears the count. Screenshots of both pages at 390 px and 1280 px go to
``$WAYPOST_SHOTS`` (default <temp>/shots/notifications/).

The count in the header needs two lines in core's base.html (tests/notifications/
header.py puts them in for the test until base.html has them).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axe_playwright_python.base import AXE_SCRIPT
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = Path(
    os.environ.get("WAYPOST_SHOTS") or Path(tempfile.gettempdir(), "shots", "notifications")
)
SINGAPORE = ZoneInfo("Asia/Singapore")  # the cast's clinic


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _checked(page, width: int) -> None:
    """No serious accessibility finding, and nothing wider than the screen."""
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_client_sets_a_check_in_reminder_gets_it_and_reads_it(
    e2e_cast, signed_in, settings, tmp_path, width
):
    from waypost.notifications.models import Preference
    from waypost.recovery import tasks

    page = signed_in(e2e_cast.client, width)
    page.context.add_init_script(AXE_SCRIPT)

    # given the client on their notification choices, from Me
    page.goto("/account/")
    page.get_by_role("link", name="Choose what you hear about, and how").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification choices")
    expect(page).to_have_title(re.compile(r"^Notification choices · Waypost$"))
    reminder = page.get_by_role("group", name="Check-in reminder")
    # when they choose 20:00, in Waypost and on their devices, not by e-mail, and save
    reminder.get_by_label("Remind me at").fill("20:00")
    reminder.get_by_label("In Waypost").check()
    reminder.get_by_label("On my devices").check()
    reminder.get_by_label("E-mail").uncheck()
    _checked(page, width)
    _shot(page, f"choices-{width}")
    page.get_by_role("button", name="Save choices").click()
    # then it is saved, and shown as chosen
    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()
    saved = page.get_by_role("group", name="Check-in reminder")
    expect(saved.get_by_label("Remind me at")).to_have_value("20:00")
    choice = Preference.objects.get(user=e2e_cast.client, kind="recovery.check_in")
    assert (choice.in_app, choice.email, choice.push) == (True, False, True)

    # when the reminder task runs tomorrow evening, at 20:05 where the client is
    evening = (timezone.now().astimezone(SINGAPORE) + timedelta(days=1)).replace(
        hour=20, minute=5, second=0, microsecond=0
    )
    with time_machine.travel(evening, tick=False):
        assert tasks.remind_to_check_in.call_local()["reminded"] == 1
    assert mail.outbox == []  # e-mail was not chosen

    # then Today shows one unread: on a phone on the "Me" tab, on a laptop in the header
    page.goto("/today/")
    if width == PHONE:
        count = page.locator(".bottom-nav .notifications-tab-count")
        expect(count).to_have_text(re.compile(r"^1\s*unread$"))
        expect(page.locator(".notifications-link")).to_be_hidden()  # no room in the header
        page.locator(".bottom-nav").get_by_role("link", name=re.compile(r"^Me")).click()
        page.get_by_role("link", name=re.compile(r"^See your notifications")).click()
    else:
        count = page.locator(".site-header .notifications-count")
        expect(count).to_be_visible()
        expect(count).to_have_text(re.compile(r"^1\s*unread$"))
        page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_role("heading", name="1 new")).to_be_visible()
    expect(page.get_by_text("Time for your check-in")).to_be_visible()
    _checked(page, width)
    _shot(page, f"list-{width}")

    # when they mark it read, the count is gone and it moves to "Earlier"
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".notifications-count, .notifications-tab-count")).to_have_count(0)
    expect(page.get_by_text("Nothing new. You are all caught up.")).to_be_visible()
    expect(page.get_by_role("heading", name="Earlier")).to_be_visible()
    expect(page.get_by_role("link", name="Time for your check-in")).to_be_visible()
    _shot(page, f"list-read-{width}")
    # and opening it takes them to the check-in
    page.get_by_role("link", name="Time for your check-in").click()
    expect(page).to_have_url(re.compile(r"/checkin/$"))


SW_HARNESS = """
async ([source]) => {
  const listeners = {};
  const shown = [];
  const opened = [];
  const fakeSelf = {
    location: window.location,
    addEventListener: (type, fn) => { listeners[type] = fn; },
    registration: { showNotification: async (title, options) => shown.push({ title, options }) },
    clients: {
      matchAll: async () => [],
      openWindow: async (url) => opened.push(url),
      claim: async () => {},
    },
    skipWaiting: async () => {},
  };
  const config = { cache: "test", assets: [], pages: [], offline: "/offline/" };
  new Function("self", "WAYPOST", source)(fakeSelf, config);
  async function push(data) {
    let waited;
    listeners.push({ data, waitUntil: (p) => { waited = p; } });
    await waited;
    return shown[shown.length - 1];
  }
  const json = (value) => ({ json: () => value });
  const results = {};
  results.normal = await push(json({
    title: "Something else", body: "You have something new.", url: "/measures/",
    icon: "/static/waypost/icon-192.png", tag: "waypost-1",
  }));
  results.unreadable = await push({ json: () => { throw new Error("no"); } });
  results.elsewhere = await push(
    json({ url: "https://elsewhere.example/x", icon: "https://x/i.png" }),
  );
  let closed = false;
  let waited;
  listeners.notificationclick({
    notification: { close: () => { closed = true; }, data: results.normal.options.data },
    waitUntil: (p) => { waited = p; },
  });
  await waited;
  return { results, opened, closed, origin: window.location.origin };
}
"""


def test_the_service_worker_shows_pushes_discreetly_and_opens_only_waypost(new_page):
    """The worker's push code, run in the browser with a stand-in for its ``self``."""
    from waypost.core.offline import WORKER_SOURCE

    page = new_page(PHONE)
    page.goto("/login/")
    found = page.evaluate(SW_HARNESS, [WORKER_SOURCE.read_text(encoding="utf-8")])
    origin = found["origin"]
    normal = found["results"]["normal"]
    # always "Waypost" as the title, whatever the message says
    assert normal["title"] == "Waypost"
    assert normal["options"]["body"] == "You have something new."
    assert normal["options"]["data"]["url"] == origin + "/measures/"
    assert normal["options"]["icon"] == "/static/waypost/icon-192.png"
    # a message it cannot read is still shown, the same discreet way
    unreadable = found["results"]["unreadable"]
    assert (unreadable["title"], unreadable["options"]["body"]) == (
        "Waypost",
        "You have something new.",
    )
    # a link or an icon elsewhere is not followed
    elsewhere = found["results"]["elsewhere"]
    assert elsewhere["options"]["data"]["url"] == origin + "/"
    assert "icon" not in elsewhere["options"]
    # a tap closes the alert and opens the page in Waypost
    assert found["closed"] is True
    assert found["opened"] == [origin + "/measures/"]
