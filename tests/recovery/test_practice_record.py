"""The clinician's record shows the toolbox practice of the last fortnight, audited."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import sign_in
from tests.recovery.helpers import today_of
from waypost.core.models import AuditEvent
from waypost.recovery.models import Practice
from waypost.recovery.services.practice import log_practice

pytestmark = pytest.mark.django_db


def _record(client, cast) -> str:
    url = reverse("caseload:record", args=[cast.enrollment.pk])
    return sign_in(client, cast.clinician).get(url).content.decode()


def test_the_record_sums_practice_by_exercise(cast, client):
    for skill, seconds in (("quiet-sit", 600), ("quiet-sit", 300), ("paced-breathing", 120)):
        log_practice(
            enrollment=cast.enrollment,
            by=cast.client,
            skill=skill,
            seconds=seconds,
            client_uuid=uuid4(),
        )
    # a practice three weeks ago is outside the fortnight
    Practice.objects.create(
        enrollment=cast.enrollment,
        client_uuid=uuid4(),
        skill="quiet-sit",
        seconds=900,
        local_date=today_of(cast) - timedelta(days=21),
        created_at=timezone.now(),
    )
    page = _record(client, cast)
    assert "Practice, last 14 days" in page
    assert "Practised on 1 day of 14: 17 minutes in all." in page
    # most minutes first: 15 minutes of sitting in two goes, then 2 of breathing
    sit = page.index('<th scope="row">Sit quietly: a meditation timer</th><td>2</td><td>15</td>')
    assert sit < page.index('<th scope="row">Paced breathing</th><td>1</td><td>2</td>')
    assert AuditEvent.objects.filter(
        client=cast.client, actor=cast.clinician, what="practice log", action="view"
    ).exists()


def test_no_practice_says_so(cast, client):
    assert "No practice from the toolbox logged in these days." in _record(client, cast)


def test_before_stage_two_there_is_no_card(cast, client):
    cast.enrollment.stage = 1
    cast.enrollment.save(update_fields=["stage"])
    assert "Practice, last" not in _record(client, cast)
