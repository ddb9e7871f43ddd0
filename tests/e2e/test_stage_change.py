"""Story: a clinician moves a client to the next stage, with a reason, and the record keeps it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP

pytestmark = pytest.mark.e2e

REASON = "Steady for six weeks; ready to try a peer meeting."


def open_record(page, cast):
    """From the caseload, open the client's record the way a clinician would."""
    page.goto("/caseload/")
    page.get_by_role("link", name=cast.client.name).click()
    expect(page).to_have_url(re.compile(rf"/clients/{cast.enrollment.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.client.name)


def history(page):
    return page.get_by_role("region", name="Stage history").get_by_role("listitem")


def test_clinician_changes_stage_with_a_reason(e2e_cast, signed_in):
    # Given the client's clinician at a desktop, on the client's record (stage 2)
    page = signed_in(e2e_cast.clinician, DESKTOP)
    open_record(page, e2e_cast)
    expect(page.get_by_text("Stage 2: Abstinence", exact=True)).to_be_visible()
    changes_before = history(page).count()

    # When they move the client on to stage 3 with a reason
    form = page.get_by_role("region", name="Change stage")
    form.get_by_label("Move to").select_option(label="3. Connecting with others")
    form.get_by_label("Reason").fill(REASON)
    form.get_by_role("button", name="Change stage").click()

    # Then the record shows the new stage and says the change was recorded
    expect(page).to_have_url(re.compile(rf"/clients/{e2e_cast.enrollment.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Stage changed and recorded.")
    expect(page.get_by_text("Stage 3: Connecting with others", exact=True)).to_be_visible()
    # and the history has one more entry: from → to, the reason and who made the change
    expect(history(page)).to_have_count(changes_before + 1)
    latest = history(page).filter(has_text=REASON)
    expect(latest).to_have_count(1)
    expect(latest).to_contain_text("2 → 3")
    expect(latest).to_contain_text(e2e_cast.clinician.name)

    # and the database agrees
    e2e_cast.enrollment.refresh_from_db()
    assert e2e_cast.enrollment.stage == 3


def test_stage_change_without_a_reason_changes_nothing(e2e_cast, signed_in):
    # Given the client's clinician on the client's record (stage 2)
    page = signed_in(e2e_cast.clinician, DESKTOP)
    open_record(page, e2e_cast)
    changes_before = history(page).count()
    form = page.get_by_role("region", name="Change stage")
    reason = form.get_by_label("Reason")

    # When they submit with the reason left empty, the browser holds the form back
    form.get_by_role("button", name="Change stage").click()
    expect(page).to_have_url(re.compile(rf"/clients/{e2e_cast.enrollment.pk}/$"))
    assert reason.evaluate("el => el.validity.valueMissing")

    # When they get past the browser with only spaces as a reason
    reason.fill("   ")
    with page.expect_response(re.compile(r"/stage/$")) as answer:
        form.get_by_role("button", name="Change stage").click()

    # Then the server answers with a plain message by the field, not an error page
    assert answer.value.status == 400
    form = page.get_by_role("region", name="Change stage")
    expect(form.get_by_role("alert")).to_be_visible()
    expect(form.get_by_role("alert")).not_to_contain_text(re.compile("Traceback|Exception"))
    # and nothing changed: same stage, same history
    expect(page.get_by_text("Stage 2: Abstinence", exact=True)).to_be_visible()
    expect(history(page)).to_have_count(changes_before)
    e2e_cast.enrollment.refresh_from_db()
    assert e2e_cast.enrollment.stage == 2
    assert e2e_cast.enrollment.stage_changes.count() == changes_before
