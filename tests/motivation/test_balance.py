"""The decisional balance: four boxes, kept as dated versions, encrypted at rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from waypost.core.models import AuditEvent, TimelineEvent
from waypost.motivation import services
from waypost.motivation.models import DecisionalBalance
from waypost.motivation.tools import MAX_ITEMS_PER_BOX, MotivationContentError

pytestmark = pytest.mark.django_db

EDIT = reverse("motivation:balance_edit")
PAGE = reverse("motivation:balance")


def _raw_content(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM learn_decisionalbalance WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_an_empty_page_invites_a_first_balance(cast, client):
    client.force_login(cast.client)
    page = client.get(PAGE).content.decode()
    assert "Nothing written yet" in page
    form = client.get(EDIT).content.decode()
    # four boxes, three lines each to start, each line with a text box and a 1-5 choice
    for title in (
        "What I get from things as they are",
        "What things as they are cost me",
        "What worries me about changing",
        "What changing could give me",
    ):
        assert title in form
    assert form.count("<textarea") == 12
    assert form.count("<select") == 12


def test_saving_the_boxes_keeps_a_first_version(cast, client):
    client.force_login(cast.client)
    # when the client writes two things and saves
    response = client.post(
        EDIT,
        {
            "now_good-0-text": "  It switches   my head off ",
            "now_good-0-weight": "4",
            "change_good-0-text": "Sleep",
            "change_good-1-text": "",
        },
    )
    # then version 1 holds them, tidied, with how much each matters
    assert response.status_code == 302 and response["Location"] == PAGE
    balance = DecisionalBalance.objects.get(enrollment=cast.enrollment)
    assert balance.version == 1 and not balance.in_session
    assert balance.data["now_good"] == [{"text": "It switches my head off", "weight": 4}]
    assert balance.data["change_good"] == [{"text": "Sleep", "weight": None}]
    assert balance.data["now_costs"] == [] and balance.data["change_costs"] == []
    page = client.get(PAGE).content.decode()
    assert "It switches my head off" in page and "matters 4/5" in page
    assert "Version 1, saved" in page and "by you on" in page
    # and the timeline says so without saying what was written
    event = TimelineEvent.objects.get(kind="learn.balance_saved")
    assert event.summary == "Decisional balance written"
    assert "head" not in event.summary


def test_every_save_is_a_new_dated_version_and_earlier_ones_stay_viewable(cast, client):
    earlier = timezone.now() - timedelta(days=10)
    services.save_balance(
        enrollment=cast.enrollment, content={"now_good": ["Relief"]}, by=cast.client, at=earlier
    )
    services.save_balance(
        enrollment=cast.enrollment, content={"now_good": ["Relief", "Habit"]}, by=cast.client
    )
    assert list(
        DecisionalBalance.objects.filter(enrollment=cast.enrollment).values_list(
            "version", flat=True
        )
    ) == [2, 1]
    client.force_login(cast.client)
    latest = client.get(PAGE).content.decode()
    assert "Habit" in latest and "All versions" in latest
    assert reverse("motivation:balance_version", args=[1]) in latest
    first = client.get(reverse("motivation:balance_version", args=[1])).content.decode()
    assert "This is an earlier version" in first and "Habit" not in first
    assert client.get(reverse("motivation:balance_version", args=[9])).status_code == 404


def test_saving_the_same_again_makes_no_new_version(cast):
    content = {"change_good": [{"text": "Sleep", "weight": 5}]}
    first = services.save_balance(enrollment=cast.enrollment, content=content, by=cast.client)
    again = services.save_balance(enrollment=cast.enrollment, content=content, by=cast.client)
    assert again.pk == first.pk
    assert DecisionalBalance.objects.count() == 1


def test_the_content_is_encrypted_at_rest(cast):
    balance = services.save_balance(
        enrollment=cast.enrollment,
        content={"now_costs": ["My partner found the history"]},
        by=cast.client,
    )
    raw = _raw_content(balance.pk)
    assert raw.startswith("fernet:")
    assert "partner" not in raw
    assert DecisionalBalance.objects.get(pk=balance.pk).data["now_costs"][0]["text"] == (
        "My partner found the history"
    )


def test_an_empty_grid_gets_a_plain_message_and_nothing_is_saved(cast, client):
    client.force_login(cast.client)
    response = client.post(EDIT, {"now_good-0-text": "   ", "now_good-0-weight": "3"})
    assert response.status_code == 400
    assert "write at least one thing in any of the four boxes" in response.content.decode()
    assert not DecisionalBalance.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"now_good-0-text": "x", "now_good-0-weight": "9"}, "a number from 1 to 5"),
        ({"now_good-0-text": "x", "now_good-0-weight": "lots"}, "a number from 1 to 5"),
        ({"now_good-0-text": "x" * 201}, "under 200 characters"),
    ],
)
def test_bad_lines_get_a_plain_message_and_nothing_is_saved(cast, client, data, message):
    client.force_login(cast.client)
    response = client.post(EDIT, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DecisionalBalance.objects.exists()


def test_the_service_refuses_unknown_boxes_and_too_many_lines(cast):
    with pytest.raises(MotivationContentError):
        services.save_balance(
            enrollment=cast.enrollment, content={"secret_box": ["x"]}, by=cast.client
        )
    with pytest.raises(MotivationContentError):
        services.save_balance(
            enrollment=cast.enrollment,
            content={"now_good": [f"line {n}" for n in range(MAX_ITEMS_PER_BOX + 1)]},
            by=cast.client,
        )
    with pytest.raises(MotivationContentError):
        services.save_balance(enrollment=cast.enrollment, content={}, by=cast.client)
    assert not DecisionalBalance.objects.exists()


def test_more_lines_keeps_what_was_typed_and_saves_nothing(cast, client):
    client.force_login(cast.client)
    response = client.post(
        EDIT,
        {"now_good-0-text": "Relief", "now_good-1-text": "", "now_good-2-text": "", "more": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Relief</textarea>" in page
    assert 'name="now_good-5-text"' in page
    assert not DecisionalBalance.objects.exists()


def test_the_edit_form_starts_from_the_latest_version(cast, client):
    services.save_balance(
        enrollment=cast.enrollment,
        content={"change_costs": [{"text": "Evenings feel empty", "weight": 3}]},
        by=cast.client,
    )
    client.force_login(cast.client)
    page = client.get(EDIT).content.decode()
    assert "Evenings feel empty</textarea>" in page
    assert '<option value="3" selected>' in page


def test_the_clinician_writes_it_with_the_client_in_session(cast, client):
    services.save_balance(
        enrollment=cast.enrollment, content={"now_good": ["Relief"]}, by=cast.client
    )
    client.force_login(cast.clinician)
    url = reverse("motivation:client_balance_edit", args=[cast.enrollment.pk])
    # when the clinician saves a change in session
    response = client.post(url, {"now_good-0-text": "Relief", "change_good-0-text": "Trust"})
    # then it is version 2, marked in session, audited, and on the timeline as such
    assert response.status_code == 302
    assert response["Location"] == reverse("motivation:client_balance", args=[cast.enrollment.pk])
    latest = DecisionalBalance.objects.get(version=2)
    assert latest.in_session and latest.saved_by == cast.clinician
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="change", what="decisional balance"
    ).exists()
    event = TimelineEvent.objects.filter(kind="learn.balance_saved").latest("id")
    assert event.summary == "Decisional balance updated (version 2) in session"
    # and the client sees it as written together
    client.force_login(cast.client)
    page = client.get(PAGE).content.decode()
    assert "with Cleo Clinician in session on" in page


def test_the_clinician_viewing_a_version_is_audited(cast, client):
    services.save_balance(
        enrollment=cast.enrollment, content={"now_good": ["Relief"]}, by=cast.client
    )
    client.force_login(cast.clinician)
    client.get(reverse("motivation:client_balance_version", args=[cast.enrollment.pk, 1]))
    assert AuditEvent.objects.filter(
        actor=cast.clinician, action="view", what="decisional balance version: 1"
    ).exists()
