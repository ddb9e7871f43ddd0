"""The ally's own wellbeing check-in: a few taps, a private note, a history only they see."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from waypost.connect import services
from waypost.connect.models import AllyWellbeingCheckIn
from waypost.core.models import AuditEvent, TimelineEvent

pytestmark = pytest.mark.django_db

URL = reverse("connect:ally_wellbeing")
NOTE = "Tired of carrying this on my own"


def browser(user) -> Client:
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in


def answers(**overrides) -> dict:
    data = {
        "feeling": "2",
        "sleep": "poorly",
        "stress": "high",
        "support": "alone",
        "note": NOTE,
        "client_uuid": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_the_page_says_it_is_private_and_offers_the_chips(cast):
    page = browser(cast.ally_none).get(URL).content.decode()
    assert "Private to you. Nobody else sees this check-in or your note" in page
    assert "not the person you support, not their clinician" in page
    for chip in ("Struggling", "Slept badly", "A lot of stress", "I feel alone with this"):
        assert chip in page
    assert "Nothing yet." in page


def test_an_ally_checks_in_and_sees_it_in_their_history(cast):
    ally = browser(cast.ally_none)
    response = ally.post(URL, answers())
    assert response.status_code == 302
    entry = AllyWellbeingCheckIn.objects.get()
    assert (entry.ally, entry.feeling, entry.sleep, entry.stress, entry.support) == (
        cast.ally_none,
        2,
        "poorly",
        "high",
        "alone",
    )
    page = ally.get(URL).content.decode()
    assert "Only you can see this." in page
    assert "Low" in page and "Slept badly" in page and NOTE in page


def test_the_note_is_encrypted_and_nothing_reaches_the_record(cast):
    browser(cast.ally_all).post(URL, answers())
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM connect_allywellbeingcheckin")
        (raw,) = cursor.fetchone()
    assert raw.startswith("fernet:") and "Tired" not in raw
    assert not TimelineEvent.objects.filter(actor=cast.ally_all).exists()
    assert not AuditEvent.objects.filter(actor=cast.ally_all).exists()


def test_only_feeling_is_needed(cast):
    response = browser(cast.ally_none).post(URL, answers(sleep="", stress="", support="", note=""))
    assert response.status_code == 302
    assert AllyWellbeingCheckIn.objects.get().chip_labels == []


@pytest.mark.parametrize(
    "overrides",
    [{"feeling": ""}, {"feeling": "9"}, {"sleep": "never"}, {"note": "x" * 1001}],
    ids=["no-feeling", "out-of-range", "unknown-chip", "long-note"],
)
def test_bad_input_changes_nothing(cast, overrides):
    response = browser(cast.ally_none).post(URL, answers(**overrides))
    assert response.status_code == 400
    assert not AllyWellbeingCheckIn.objects.exists()


def test_a_form_sent_twice_is_kept_once(cast):
    data = answers()
    ally = browser(cast.ally_none)
    ally.post(URL, data)
    ally.post(URL, data)
    assert AllyWellbeingCheckIn.objects.count() == 1


def test_nobody_else_sees_an_allys_check_ins(cast):
    # given an ally's check-in with a note
    services.record_ally_wellbeing(
        ally=cast.ally_all, client_uuid=uuid.uuid4(), feeling=1, note=NOTE
    )
    # then another ally's page does not show it
    assert NOTE not in browser(cast.ally_none).get(URL).content.decode()
    # nor the client's pages, nor the clinician's record
    for user, path in (
        (cast.client, reverse("connect:allies")),
        (cast.client, reverse("program:today")),
        (cast.clinician, reverse("caseload:record", kwargs={"enrollment_id": cast.enrollment.pk})),
    ):
        assert NOTE not in browser(user).get(path).content.decode()


@pytest.mark.parametrize("role", ["client", "clinician", "admin", "ally_ended"])
def test_only_someone_who_is_an_ally_now_may_check_in(cast, role):
    user = getattr(cast, role)
    assert browser(user).get(URL).status_code == 403
    assert browser(user).post(URL, answers()).status_code == 403
    assert not AllyWellbeingCheckIn.objects.exists()


def test_the_allys_home_and_guide_lead_to_it(cast):
    ally = browser(cast.ally_none)
    assert URL in ally.get(reverse("connect:ally_home")).content.decode()
    assert URL in ally.get(reverse("connect:ally_guide")).content.decode()
    # a former ally is not offered it
    assert URL not in browser(cast.ally_ended).get(reverse("connect:ally_home")).content.decode()


def test_it_is_in_the_allys_own_download(cast):
    from waypost.connect.exports import allies

    services.record_ally_wellbeing(
        ally=cast.ally_none, client_uuid=uuid.uuid4(), feeling=4, sleep="well", note=NOTE
    )
    mine = allies(cast.ally_none)["wellbeing_check_ins"]
    assert [(e["feeling"], e["chips"], e["note"]) for e in mine] == [("Okay", ["Slept well"], NOTE)]
    assert allies(cast.client)["wellbeing_check_ins"] == []
