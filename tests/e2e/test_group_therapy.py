"""Story: on a phone, a group's facilitator takes attendance with one tap per member."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.group_therapy.helpers import make_group

pytestmark = pytest.mark.e2e


def test_facilitator_takes_attendance_with_one_tap_per_member(e2e_cast, signed_in):
    from waypost.connect.groups.models import Attendance

    # Given a fortnightly group the clinician facilitates, with the client in it
    programme = make_group(e2e_cast, members=(e2e_cast.enrollment,))
    page = signed_in(e2e_cast.clinician, PHONE)
    page.goto(f"/groups/{programme.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saturday group")

    # When they open the last session and tap "Present" for the client
    page.get_by_role("link", name="Take attendance").first.click()
    expect(page).to_have_url(re.compile(rf"/groups/{programme.pk}/sessions/\w+/$"))
    marks = page.get_by_role("form", name="Attendance of Sam Client")
    marks.get_by_role("button", name=re.compile("^Present")).click()

    # Then the page says so, the button shows it, and it is stored
    expect(page.get_by_role("status")).to_contain_text("Sam Client: Present.")
    present = page.get_by_role("form", name="Attendance of Sam Client").get_by_role(
        "button", name=re.compile("^Present")
    )
    expect(present).to_have_attribute("aria-pressed", "true")
    assert Attendance.objects.get(enrollment=e2e_cast.enrollment).status == "present"

    # and a second tap on another button changes the mark
    page.get_by_role("form", name="Attendance of Sam Client").get_by_role(
        "button", name=re.compile("^Excused")
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Sam Client: Excused.")
    assert Attendance.objects.get(enrollment=e2e_cast.enrollment).status == "excused"
