"""The readiness ruler, kept over time: recorded through the motivation page as a questionnaire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypost.assessments import catalog
from waypost.assessments.models import Administration, Assignment
from waypost.assessments.services import open_due_forms
from waypost.core.models import AuditEvent
from waypost.motivation import services
from waypost.motivation.tools import MotivationContentError
from waypost.program import gates

pytestmark = pytest.mark.django_db

URL = reverse("motivation:readiness")


def _forms(cast):
    return Administration.objects.filter(
        enrollment=cast.enrollment, instrument_id="readiness-ruler"
    )


def test_the_page_words_the_ruler_as_its_instrument_file_does(cast, client):
    # given the ruler's own wording
    entry = catalog.get("readiness-ruler")
    item = entry.instrument.items[0]
    client.force_login(cast.client)
    # when the client opens the page
    page = client.get(URL).content.decode()
    # then the stem, the question and the end labels are the file's
    assert entry.stem in page
    assert item.text in page
    assert item.options[0].display in page and item.options[-1].display in page
    assert page.count('type="radio"') == 11
    assert "Your answers will show here" in page


def test_a_number_is_kept_as_a_completed_readiness_ruler(cast, client):
    client.force_login(cast.client)
    # when the client chooses 7
    response = client.post(URL, {"readiness": "7"})
    # then a completed form with that score is kept, filled in by the client
    assert response.status_code == 302 and response["Location"] == URL
    form = _forms(cast).get()
    assert (form.status, form.total, form.source) == ("completed", 7, "client")
    assert form.answers == {"ruler-1": 7}
    # and the page shows it in the history chart and table
    page = client.get(URL).content.decode()
    assert "You said 7 today" in page
    assert "<svg" in page and "How ready you feel scores" in page
    assert "Readiness Ruler" not in page


def test_answers_over_time_build_the_history(cast, client):
    start = timezone.now() - timedelta(weeks=8)
    for weeks, value in ((0, 4), (4, 6)):
        services.record_readiness(
            enrollment=cast.enrollment,
            value=value,
            by=cast.client,
            at=start + timedelta(weeks=weeks),
        )
    client.force_login(cast.client)
    client.post(URL, {"readiness": "8"})
    totals = list(_forms(cast).order_by("completed_at").values_list("total", flat=True))
    assert totals == [4, 6, 8]
    page = client.get(URL).content.decode()
    assert "3 scores from" in page


@pytest.mark.parametrize("bad", ["11", "-1", "x", "", "6.5"])
def test_a_number_outside_0_to_10_gets_a_plain_message_and_nothing_is_saved(cast, client, bad):
    client.force_login(cast.client)
    response = client.post(URL, {"readiness": bad})
    assert response.status_code == 400
    assert "Please choose a number from 0 to 10." in response.content.decode()
    assert not _forms(cast).exists()


@pytest.mark.parametrize("bad", [11, -1, "x", None, "", "3a"])
def test_the_service_refuses_what_is_not_0_to_10(cast, bad):
    with pytest.raises(MotivationContentError):
        services.record_readiness(enrollment=cast.enrollment, value=bad, by=cast.client)
    assert not _forms(cast).exists()


def test_an_assigned_readiness_ruler_that_is_open_is_the_one_completed(cast):
    # given the clinician assigned the ruler and it is open on the client's list
    now = timezone.now()
    Assignment.objects.create(
        enrollment=cast.enrollment,
        instrument_id="readiness-ruler",
        schedule="once",
        starts_at=now - timedelta(hours=1),
        created_by=cast.clinician,
    )
    open_due_forms(enrollment=cast.enrollment)
    waiting = _forms(cast).get()
    assert waiting.status == "open"
    # when the client answers on the motivation page
    services.record_readiness(enrollment=cast.enrollment, value=5, by=cast.client)
    # then that form is completed, not a second one made
    waiting.refresh_from_db()
    assert _forms(cast).count() == 1
    assert (waiting.status, waiting.total) == ("completed", 5)


def test_in_session_readiness_is_marked_and_audited(cast, client):
    # given the client's clinician on the in-session page
    client.force_login(cast.clinician)
    url = reverse("motivation:client_readiness", args=[cast.enrollment.pk])
    page = client.get(url).content.decode()
    assert "in session" in page
    # when they record 6 with the client
    response = client.post(url, {"readiness": "6"})
    # then it is kept as filled in together in session, and the change is audited
    assert response.status_code == 302
    form = _forms(cast).get()
    assert (form.total, form.source) == (6, Administration.Source.SESSION)
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="change", what="readiness ruler"
    ).exists()
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="view", what="readiness ruler"
    ).exists()
    assert "Filled in together in session:" in client.get(url).content.decode()


def test_readiness_recorded_through_the_tool_meets_the_stage_1_gate(cast):
    def check():
        [found] = [
            c
            for c in gates.checklist(cast.enrollment, stage=1)
            if c.criterion.key == "readiness_recorded"
        ]
        return found.result

    # given no readiness yet
    assert check().met is False
    # when the client records a number through the motivation page
    services.record_readiness(enrollment=cast.enrollment, value=6, by=cast.client)
    # then the stage 1 criterion is met
    assert check().met is True
    assert "6 out of 10" in check().detail
