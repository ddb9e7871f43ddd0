"""The safety plan on the client's Today, and the safety cards on the clinician's record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.safety import services

pytestmark = pytest.mark.django_db


def test_today_invites_the_client_to_write_a_plan_until_there_is_one(cast, as_user, plan_content):
    browser = as_user(cast.client)
    before = browser.get(reverse("program:today")).content.decode()
    assert 'data-step="safety.plan"' in before
    assert "Your safety plan" in before and reverse("safety:my_plan_edit") in before
    services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.client)
    after = browser.get(reverse("program:today")).content.decode()
    assert 'data-step="safety.plan"' not in after
    # the written plan is behind "Get help now" and listed with the client's work on Journey
    assert reverse("safety:my_plan") in browser.get(reverse("help")).content.decode()
    assert reverse("safety:my_plan") in browser.get(reverse("program:journey")).content.decode()


def test_the_record_shows_open_alerts_with_a_form_and_the_plan_link(cast, as_user, plan_content):
    # given an open alert and a plan
    alert = services.raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="Item 9 answered 'Several days'",
        source_label="PHQ-9",
        notify=False,
    )
    services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.client)
    record = reverse("caseload:record", args=[cast.enrollment.pk])
    # when the clinician opens the record
    page = as_user(cast.clinician).get(record).content.decode()
    # then the alert is near the top with an acknowledge form that brings them back
    assert "Open risk alert" in page and "Item 9 answered" in page
    assert page.index("Open risk alert") < page.index("Stage history")
    assert reverse("safety:acknowledge", args=[alert.pk]) in page
    assert f'name="next" value="{record}"' in page
    # and the side card links the plan with its date
    assert reverse("safety:client_plan", args=[cast.enrollment.pk]) in page
    assert "1 version." in page


def test_the_record_is_quiet_when_nothing_is_open(cast, as_user):
    page = (
        as_user(cast.clinician)
        .get(reverse("caseload:record", args=[cast.enrollment.pk]))
        .content.decode()
    )
    assert "risk alert" not in page.lower()
    assert "No safety plan yet." in page
