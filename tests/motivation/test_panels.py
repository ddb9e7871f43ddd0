"""Where the tools show up: a next step on Today only when useful, the record's side card,
the library."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypost.motivation import services
from waypost.program.services import change_stage

pytestmark = pytest.mark.django_db

TODAY = reverse("program:today")
CARD = 'data-step="motivation.'  # a next step of the motivation tools on Today


def _today(client, cast) -> str:
    client.force_login(cast.client)
    return client.get(TODAY).content.decode()


def test_today_suggests_readiness_when_none_is_recorded(cast, client):
    # given a client who has never given a readiness number
    # when they open Today
    page = _today(client, cast)
    # then a next step invites a first one, without "it has been a while"
    assert 'data-step="motivation.readiness"' in page
    assert reverse("motivation:readiness") in page
    assert "Whenever you are ready: one tap, one number" in page
    assert "It has been a while" not in page


def test_a_stale_number_is_called_a_while_ago(cast, client):
    # given a readiness number from five weeks ago
    services.record_readiness(
        enrollment=cast.enrollment, value=6, by=cast.client, at=timezone.now() - timedelta(days=35)
    )
    # then Today says it has been a while
    assert "It has been a while" in _today(client, cast)


def test_no_card_when_readiness_is_recent_and_nothing_is_asked(cast, client):
    services.record_readiness(
        enrollment=cast.enrollment, value=6, by=cast.client, at=timezone.now() - timedelta(days=20)
    )
    assert CARD not in _today(client, cast)


def test_the_card_comes_back_after_four_weeks(cast, client):
    services.record_readiness(
        enrollment=cast.enrollment, value=6, by=cast.client, at=timezone.now() - timedelta(days=29)
    )
    assert CARD in _today(client, cast)


def test_no_readiness_suggestion_in_stage_3_and_4(cast, client):
    change_stage(enrollment=cast.enrollment, to_stage=3, reason="Steady.", by=cast.clinician)
    assert CARD not in _today(client, cast)


def test_what_the_clinician_asked_for_shows_until_it_is_done(cast, client):
    change_stage(enrollment=cast.enrollment, to_stage=3, reason="Steady.", by=cast.clinician)
    services.ask_client(enrollment=cast.enrollment, tool="values", by=cast.clinician)
    page = _today(client, cast)
    assert 'data-step="motivation.values"' in page
    assert "Cleo Clinician asked you to look at this before you next meet." in page
    assert reverse("motivation:values") in page
    services.save_sort(enrollment=cast.enrollment, piles={"family": "very"}, by=cast.client)
    assert CARD not in _today(client, cast)


def test_the_record_has_a_motivation_card(cast, client):
    services.record_readiness(enrollment=cast.enrollment, value=7, by=cast.client)
    services.record_stage(enrollment=cast.enrollment, stage="action", by=cast.client)
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    assert "Motivation</h2>" in page
    assert "7/10 on" in page
    assert "Action" in page
    assert reverse("motivation:client_overview", args=[cast.enrollment.pk]) in page
    assert "motivation/motivation.css" in page


def test_the_library_links_the_tools_for_clients_only(cast, client):
    client.force_login(cast.client)
    assert reverse("motivation:overview") in client.get(reverse("learn:library")).content.decode()
    client.force_login(cast.clinician)
    assert (
        reverse("motivation:overview") not in client.get(reverse("learn:library")).content.decode()
    )
