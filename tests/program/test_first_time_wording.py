"""No "0 minutes" and no "it has been a while" for someone who has only just begun."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _page(client, user, url) -> str:
    client.force_login(user)
    return client.get(url).content.decode()


def test_today_greets_a_new_client_without_counting_minutes(cast, client):
    # given a client who moved into stage 2 a moment ago (the cast's last change)
    # when they open Today
    page = _page(client, cast.client, reverse("program:today"))
    # then it says so in words, not "0 minutes"
    assert "You have just moved into this stage." in page
    assert "0 minutes" not in page
    assert "You have been here for" not in page


def test_a_brand_new_client_is_told_they_have_just_begun(cast, client):
    from tests.cast import make_user
    from waypost.program.services import enroll_client

    newcomer = make_user("fresh@north.test", "Fresh Start")
    enroll_client(client=newcomer, clinician_profile=cast.clinician_profile, by=cast.clinician)
    page = _page(client, newcomer, reverse("program:today"))
    assert "You have just begun. Welcome." in page
    assert "0 minutes" not in page
    assert "It has been a while" not in page


def test_after_a_few_days_today_counts_them(cast, client):
    with time_machine.travel(timezone.now() + timedelta(days=3, hours=1)):
        page = _page(client, cast.client, reverse("program:today"))
    assert "You have been here for 3" in page


def test_an_ally_sees_that_the_client_has_just_started_the_stage(cast, client):
    page = _page(client, cast.ally_all, reverse("connect:ally_shared", args=[cast.links["all"].pk]))
    assert "and has just started it." in page
    assert "0 minutes" not in page


def test_the_clinicians_record_says_today_not_zero_minutes(cast, client):
    page = _page(client, cast.clinician, reverse("caseload:record", args=[cast.enrollment.pk]))
    assert "(today)" in page
    assert "0 minutes" not in page
