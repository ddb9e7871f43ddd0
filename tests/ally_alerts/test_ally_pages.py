"""The ally's Updates page and rhythm: only what is shared now, at the rhythm they pick."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from waypost.connect.alerts import selectors
from waypost.connect.alerts.models import AlertPreference, AllyAlert, Rhythm
from waypost.connect.alerts.support import request_support
from waypost.connect.services import set_consent
from waypost.core import events
from waypost.core.models import AuditEvent
from waypost.shield import silence

pytestmark = pytest.mark.django_db

CLINICAL = re.compile(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse", re.I)


def updates_url(link) -> str:
    return reverse("ally_alerts:updates", args=[link.pk])


def settings_url(link) -> str:
    return reverse("ally_alerts:alert_settings", args=[link.pk])


def silent_device(cast):
    return events.record(
        enrollment=cast.enrollment,
        kind=silence.SILENT,
        actor=None,
        data={"device": "Laptop", "hours": 30, "never": False},
    )


def test_the_ally_reads_each_update_with_the_clients_message(cast, clock, commit, as_user):
    with commit():
        silent_device(cast)
        request_support(
            enrollment=cast.enrollment,
            by=cast.client,
            client_uuid=uuid.uuid4(),
            message="Could you call me tonight?",
        )
    text = as_user(cast.ally_all).get(updates_url(cast.links["all"])).content.decode()
    assert "One of Sam Client’s devices has gone quiet on Shield." in text
    assert "Sam Client pressed “I need support now”." in text
    assert "Could you call me tonight?" in text
    assert "Once a day, in the evening" in text


def test_an_update_disappears_the_moment_its_scope_is_withdrawn(cast, clock, commit, as_user):
    with commit():
        silent_device(cast)
    ally = as_user(cast.ally_all)
    assert "gone quiet on Shield" in ally.get(updates_url(cast.links["all"])).content.decode()
    set_consent(link=cast.links["all"], scopes=["journey"], by=cast.client)
    text = ally.get(updates_url(cast.links["all"])).content.decode()
    assert "gone quiet on Shield" not in text
    assert "does not share updates with you at the moment" in text


def test_a_dropped_alert_is_never_shown_again(cast, clock, commit, as_user):
    with commit():
        silent_device(cast)
    AllyAlert.objects.filter(link=cast.links["all"]).update(status=AllyAlert.Status.DROPPED)
    text = as_user(cast.ally_all).get(updates_url(cast.links["all"])).content.decode()
    assert "gone quiet on Shield" not in text


def test_reading_updates_is_audited_per_scope_shown(cast, clock, commit, as_user):
    with commit():
        silent_device(cast)
    as_user(cast.ally_all).get(updates_url(cast.links["all"]))
    seen = AuditEvent.objects.filter(actor=cast.ally_all, action=AuditEvent.Action.VIEW)
    assert list(seen.values_list("what", flat=True)) == ["shared: shield"]


def test_another_allys_updates_are_not_found_and_the_attempt_is_audited(cast, as_user):
    response = as_user(cast.allies["journey"]).get(updates_url(cast.links["all"]))
    assert response.status_code == 404
    refused = AuditEvent.objects.get(action=AuditEvent.Action.REFUSED)
    assert refused.actor == cast.allies["journey"]
    assert refused.what == "an ally's updates"


def test_the_ally_picks_their_rhythm(cast, as_user):
    ally = as_user(cast.allies["shield"])
    link = cast.links["shield"]
    page = ally.get(settings_url(link)).content.decode()
    assert "Once a week, on Sunday evening" in page
    # the default, a daily digest, is chosen until the ally picks another
    assert re.search(r'<input[^>]*value="daily"[^>]*checked', page)
    assert selectors.rhythm_of(link) == Rhythm.DAILY
    response = ally.post(settings_url(link), {"rhythm": "weekly"})
    assert response.status_code == 302
    assert response["Location"] == updates_url(link)
    assert AlertPreference.objects.get(link=link).rhythm == Rhythm.WEEKLY
    assert "Once a week" in ally.get(updates_url(link)).content.decode()


def test_a_rhythm_that_does_not_exist_changes_nothing(cast, as_user):
    link = cast.links["shield"]
    response = as_user(cast.allies["shield"]).post(settings_url(link), {"rhythm": "hourly"})
    assert response.status_code == 400
    assert not AlertPreference.objects.exists()


def test_the_settings_say_a_request_for_support_always_comes_at_once(cast, as_user):
    page = as_user(cast.ally_all).get(settings_url(cast.links["all"])).content.decode()
    assert "always straight away, at any hour" in page
    assert "a message asking for support that waits for a digest cannot help" in page
    page = as_user(cast.allies["shield"]).get(settings_url(cast.links["shield"])).content.decode()
    assert "always straight away" not in page


def test_an_ended_link_has_no_rhythm_to_change(cast, as_user):
    link = cast.links["ended"]
    ally = as_user(cast.ally_ended)
    assert ally.post(settings_url(link), {"rhythm": "weekly"}).status_code == 404
    assert not AlertPreference.objects.exists()


@pytest.mark.parametrize(
    "who, url",
    [
        ("ally_all", lambda cast: updates_url(cast.links["all"])),
        ("ally_all", lambda cast: settings_url(cast.links["all"])),
        ("client", lambda cast: "/connect/support/"),
    ],
)
def test_page_titles_say_nothing_of_what_the_app_is_about(cast, as_user, who, url):
    text = as_user(getattr(cast, who)).get(url(cast)).content.decode()
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert not CLINICAL.search(title)
