"""Apps add cards to the Today page and the client record through registered panels."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from django.urls import reverse

from waypost.core import panels

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates


@pytest.fixture
def registered():
    keys = []

    def add(**kwargs):
        panel = panels.register(panels.Panel(template="tests/panel.html", **kwargs))
        keys.append(panel.key)
        return panel

    yield add
    for key in keys:
        panels._panels.pop(key, None)


def test_panels_show_in_order_and_hide_when_they_have_nothing(
    cast, client, test_templates, registered
):
    registered(slot="client_today", key="t-b", order=20, context=lambda r, e: {"heading": "Bee"})
    registered(slot="client_today", key="t-a", order=10, context=lambda r, e: {"heading": "Ay"})
    registered(slot="client_today", key="t-none", context=lambda r, e: None)
    client.force_login(cast.client)
    page = client.get(reverse("program:today")).content.decode()
    assert page.index("<h2>Ay</h2>") < page.index("<h2>Bee</h2>")
    assert page.count(cast.client.name) >= 2  # each panel got the enrollment


def test_record_panels_render_for_the_clinician(cast, client, test_templates, registered):
    registered(slot="client_record", key="r-main", context=lambda r, e: {"heading": "Main"})
    registered(slot="client_record_side", key="r-side", context=lambda r, e: {"heading": "Side"})
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    assert "<h2>Main</h2>" in page and "<h2>Side</h2>" in page


def test_an_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="unknown panel slot"):
        panels.register(
            panels.Panel(slot="sidebar", key="x", template="x.html", context=lambda r, e: {})
        )


def test_a_panels_stylesheet_is_linked_once_in_the_head(cast, client, test_templates, registered):
    for key in ("s-one", "s-two"):
        registered(
            slot="client_record_side",
            key=key,
            stylesheet="tests/panel.css",
            context=lambda r, e: {"heading": "Styled"},
        )
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    head = page.split("</head>")[0]
    assert head.count('href="/static/tests/panel.css"') == 1
