"""Stage of change: the client's pick over time, and the clinician's own view beside it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from waypost.core.models import AuditEvent, TimelineEvent
from waypost.motivation import services
from waypost.motivation.models import StageOfChangeEntry
from waypost.motivation.tools import CHANGE_STAGES, MotivationContentError

pytestmark = pytest.mark.django_db

PAGE = reverse("motivation:stage")


def test_the_page_offers_five_plain_statements_without_the_models_terms(cast, client):
    client.force_login(cast.client)
    page = client.get(PAGE).content.decode()
    assert page.count('type="radio"') == 5
    for stage in CHANGE_STAGES:
        assert str(stage.statement) in page
        assert f'<span class="ttm">{stage.name}</span>' not in page
    assert "Whose view" not in page  # the client only gives their own


def test_the_clinicians_page_shows_the_stage_names_small(cast, client):
    client.force_login(cast.clinician)
    page = client.get(reverse("motivation:client_stage", args=[cast.enrollment.pk]))
    for stage in CHANGE_STAGES:
        assert f'<span class="ttm">{stage.name}</span>' in page.content.decode()


def test_the_clients_list_names_each_pick_in_plain_words(cast, client):
    services.record_stage(enrollment=cast.enrollment, stage="precontemplation", by=cast.client)
    client.force_login(cast.client)
    history = client.get(PAGE).content.decode().split('id="stage-history"')[1]
    assert '<span class="ttm">Not sure yet</span>' in history
    assert "Precontemplation" not in history
    # while the clinician reads the model's term for the same pick
    client.force_login(cast.clinician)
    url = reverse("motivation:client_stage", args=[cast.enrollment.pk])
    history = client.get(url).content.decode().split('id="stage-history"')[1]
    assert '<span class="ttm">Precontemplation</span>' in history


def test_the_client_keeps_a_dated_list(cast, client):
    services.record_stage(
        enrollment=cast.enrollment,
        stage="preparation",
        by=cast.client,
        at=timezone.now() - timedelta(weeks=6),
    )
    client.force_login(cast.client)
    response = client.post(PAGE, {"stage": "action", "note": "The lock-box helps."})
    assert response.status_code == 302 and response["Location"] == PAGE
    entries = list(StageOfChangeEntry.objects.order_by("recorded_at"))
    assert [e.stage for e in entries] == ["preparation", "action"]
    assert entries[1].note == "The lock-box helps." and not entries[1].in_session
    history = client.get(PAGE).content.decode().split('id="stage-history"')[1]
    assert history.index("I am making changes") < history.index("I am getting ready")
    summaries = [e.summary for e in TimelineEvent.objects.all()]
    assert summaries.count("Stage of change recorded") == 2


@pytest.mark.parametrize("data", [{}, {"stage": ""}, {"stage": "relapse"}, {"stage": "x" * 50}])
def test_no_choice_or_an_unknown_stage_gets_a_plain_message(cast, client, data):
    client.force_login(cast.client)
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert "Please choose the statement that fits best." in response.content.decode()
    assert not StageOfChangeEntry.objects.exists()


def test_a_client_cannot_record_a_clinician_view(cast, client):
    client.force_login(cast.client)
    client.post(PAGE, {"stage": "action", "view": "clinician"})
    assert StageOfChangeEntry.objects.get().view == "client"
    with pytest.raises(MotivationContentError):
        services.record_stage(
            enrollment=cast.enrollment, stage="action", view="clinician", by=cast.client
        )


def test_the_note_is_encrypted_at_rest(cast):
    entry = services.record_stage(
        enrollment=cast.enrollment, stage="contemplation", note="Not sure I can", by=cast.client
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM learn_stageofchangeentry WHERE id = %s", [entry.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("fernet:") and "sure" not in raw


def test_the_clinician_records_the_clients_pick_in_session_and_their_own_view(cast, client):
    client.force_login(cast.clinician)
    url = reverse("motivation:client_stage", args=[cast.enrollment.pk])
    assert "Whose view is this?" in client.get(url).content.decode()
    # the client's pick, made together
    client.post(url, {"view": "client", "stage": "preparation"})
    # the clinician's own judgement
    client.post(url, {"view": "clinician", "stage": "contemplation", "note": "Still weighing it."})
    together, own = StageOfChangeEntry.objects.order_by("id")
    assert (together.view, together.in_session, together.recorded_by) == (
        "client",
        True,
        cast.clinician,
    )
    assert (own.view, own.in_session) == ("clinician", False)
    assert (
        AuditEvent.objects.filter(
            actor=cast.clinician, action="change", what="stage of change"
        ).count()
        == 2
    )
    summaries = {e.summary for e in TimelineEvent.objects.all()}
    assert "Stage of change recorded in session" in summaries
    assert "Clinician's view of the stage of change recorded" in summaries
    page = client.get(url).content.decode()
    assert '<span class="badge">Clinician' in page and "Still weighing it." in page


def test_the_clinicians_own_view_is_not_shown_to_the_client(cast, client):
    services.record_stage(
        enrollment=cast.enrollment,
        stage="precontemplation",
        view="clinician",
        note="Private formulation",
        by=cast.clinician,
    )
    client.force_login(cast.client)
    page = client.get(PAGE).content.decode()
    assert "Private formulation" not in page and "Nothing kept yet." in page
    overview = client.get(reverse("motivation:overview")).content.decode()
    assert "Pick the statement that fits you best today." in overview
