"""The client's Connect tab: allies, the other ways of connecting (panels), family sessions,
and a clear word after every change of consent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from waypost.core import panels

pytestmark = pytest.mark.django_db

URL = reverse("connect:allies")


def browser(user) -> Client:
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in


@pytest.fixture
def test_panel(settings, tmp_path):
    """A panel in the ``client_connect`` slot, the way the meetings and groups parts add one."""
    (tmp_path / "test_panel.html").write_text("<section>Peer meetings for {{ who }}</section>")
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path]
    settings.TEMPLATES = [engine]
    panel = panels.register(
        panels.Panel(
            slot="client_connect",
            key="test.connect_panel",
            template="test_panel.html",
            context=lambda request, enrollment: {"who": enrollment.client.name},
            stylesheet="test/panel.css",
        )
    )
    yield panel
    del panels._panels[panel.key]


def test_the_connect_page_renders_the_client_connect_panels_after_the_allies(cast, test_panel):
    page = browser(cast.client).get(URL).content.decode()
    assert "Peer meetings for Sam Client" in page
    assert page.index("People you share with") < page.index("Peer meetings for Sam Client")
    assert page.index("Peer meetings for Sam Client") < page.index("How sharing works")
    assert '<link rel="stylesheet" href="/static/test/panel.css">' in page


def test_every_registered_scope_is_offered_with_its_explanation_in_reading_order(cast):
    from waypost.connect import scopes

    page = (
        browser(cast.client)
        .get(reverse("connect:consent", kwargs={"link_id": cast.links["none"].pk}))
        .content.decode()
    )
    positions = [page.index(f'value="{scope.key}"') for scope in scopes.all_scopes()]
    assert positions == sorted(positions)
    for scope in scopes.all_scopes():
        assert escape(str(scope.explanation)) in page


def test_withdrawing_says_what_the_ally_can_no_longer_see(cast):
    # given an ally who sees the journey and the care team
    link = cast.links["all"]
    client = browser(cast.client)
    client.post(
        reverse("connect:consent", kwargs={"link_id": link.pk}),
        {"scopes": ["journey", "care_team"]},
    )
    # when the client withdraws the care team
    response = client.post(
        reverse("connect:consent", kwargs={"link_id": link.pk}),
        {"scopes": ["journey"]},
        follow=True,
    )
    # then the message says what stopped and what is still shared
    page = response.content.decode()
    assert "Saved. Alex Everything can no longer see: Care team." in page
    assert "From now on, Alex Everything sees: Journey." in page


def test_adding_a_scope_says_what_the_ally_sees_from_now_on(cast):
    link = cast.links["none"]
    response = browser(cast.client).post(
        reverse("connect:consent", kwargs={"link_id": link.pk}),
        {"scopes": ["streak"]},
        follow=True,
    )
    page = response.content.decode()
    assert "Saved. From now on, Nell Nothing sees: Streak and milestones." in page
    assert "can no longer see" not in page


def test_saving_the_same_choice_says_nothing_changed(cast):
    link = cast.links["journey"]
    response = browser(cast.client).post(
        reverse("connect:consent", kwargs={"link_id": link.pk}),
        {"scopes": ["journey"]},
        follow=True,
    )
    assert "Nothing changed. Ally journey sees the same as before." in response.content.decode()


def test_a_change_of_consent_is_on_the_timeline_in_words(cast):
    from waypost.core.models import TimelineEvent

    link = cast.links["none"]
    browser(cast.client).post(
        reverse("connect:consent", kwargs={"link_id": link.pk}), {"scopes": ["streak", "lapses"]}
    )
    event = TimelineEvent.objects.filter(kind="connect.consent_changed").get()
    assert event.data["after"] == ["streak", "lapses"]
    assert event.summary == "Sharing with an ally changed to: Streak and milestones, Lapse alerts"
    # and withdrawing everything says so in words too
    browser(cast.client).post(reverse("connect:consent", kwargs={"link_id": link.pk}), {})
    latest = TimelineEvent.objects.filter(kind="connect.consent_changed").first()
    assert latest.summary == "Sharing with an ally changed to: nothing"
