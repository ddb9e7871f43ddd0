"""A message with crisis words: crisis lines at once for the client, an alert for the clinician."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.assessments.helpers import sign_in
from tests.messaging.helpers import post_message, send
from waypost.caseload.messages import crisis
from waypost.caseload.messages.models import Message
from waypost.safety.models import RiskAlert


@pytest.mark.parametrize(
    "text",
    [
        "Honestly I want to die tonight",
        "I keep thinking I should KILL MYSELF.",
        "i cant go on like this",
        "I can’t go on like this",
        "thinking about self-harm again",
        "I'm not safe right now",
    ],
)
def test_crisis_phrases_are_found_whatever_the_case_or_punctuation(text):
    assert crisis.find(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could we move Friday's session?",
        "I will send it all tomorrow",  # "end it all" inside other words is no match
        "The skills toolbox helped a lot",
        "",
    ],
)
def test_everyday_messages_raise_nothing(text):
    assert crisis.find(text) == []


def test_the_phrase_file_loads_and_has_no_comments_or_blanks():
    phrases = crisis.phrases()
    assert "kill myself" in [p.strip() for p in phrases]
    assert all(p.strip() and not p.strip().startswith("#") for p in phrases)


@given(st.text(max_size=200))
def test_a_found_phrase_is_always_one_of_the_list(text):
    known = {p.strip() for p in crisis.phrases()}
    assert set(crisis.find(text)) <= known


@given(st.sampled_from(sorted(crisis.phrases())), st.text(alphabet=" .,!?\n", max_size=5))
def test_every_phrase_is_found_with_any_punctuation_around_it(phrase, around):
    assert phrase.strip() in crisis.find(f"{around}{phrase.strip().upper()}{around}")


@pytest.mark.django_db
def test_a_client_sees_the_crisis_lines_at_once_and_the_clinician_gets_an_alert(
    client, cast, django_capture_on_commit_callbacks
):
    # given the client on their messages page
    sign_in(client, cast.client)
    # when they send a message with crisis words
    with django_capture_on_commit_callbacks(execute=True):
        response = post_message(
            client, reverse("messaging:mine"), "I don't think I can go on. I want to die."
        )
    # then the page they land on shows their clinic's crisis lines first
    message = Message.objects.get()
    assert message.crisis
    assert response["Location"].endswith(f"?support={message.pk}#support")
    page = client.get(response["Location"]).content.decode()
    assert "North crisis line" in page and 'href="tel:1767"' in page
    # and an open risk alert waits in the clinician's inbox, pointing at the message
    alert = RiskAlert.objects.get(enrollment=cast.enrollment)
    assert alert.is_open and alert.kind == "message_crisis"
    assert "want to die" in alert.summary
    assert alert.source_url.startswith(reverse("messaging:thread", args=[cast.enrollment.pk]))
    # and the clinician is e-mailed through safety's alert path, discreetly
    subjects = [m.subject for m in mail.outbox]
    assert "Waypost: something needs your attention" in subjects
    alert_mail = next(m for m in mail.outbox if "attention" in m.subject)
    assert alert_mail.to == [cast.clinician.email]
    assert "die" not in alert_mail.body


@pytest.mark.django_db
def test_an_ordinary_message_shows_no_crisis_lines_and_raises_no_alert(client, cast):
    sign_in(client, cast.client)
    response = post_message(client, reverse("messaging:mine"), "See you on Friday")
    assert "support=" not in response["Location"]
    assert not RiskAlert.objects.exists()
    assert "North crisis line" not in client.get(reverse("messaging:mine")).content.decode()


@pytest.mark.django_db
def test_the_support_box_shows_only_for_the_clients_own_crisis_message(client, cast):
    ordinary = send(cast, cast.client, "Just a note").message
    sign_in(client, cast.client)
    page = client.get(reverse("messaging:mine") + f"?support={ordinary.pk}").content.decode()
    assert "North crisis line" not in page


@pytest.mark.django_db
def test_a_clinicians_words_raise_no_alert(cast):
    send(cast, cast.clinician, "If you ever feel you want to die, call the crisis line.")
    assert not RiskAlert.objects.exists()
    assert not Message.objects.get().crisis
