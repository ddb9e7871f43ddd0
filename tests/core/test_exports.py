"""Apps add their part of "download my data" through a registry, without editing the page."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tests.accounts.data_helpers import data_json, unzip
from waypost.core import exports

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_app_section():
    """A section as a new app would register it from its AppConfig.ready()."""

    def collect(user):
        return {
            "garden": [
                {"plant": "Basil", "planted_at": datetime(2026, 3, 1, 8, 30, tzinfo=UTC)},
                {"plant": f"Mint for {user.name}", "planted_at": None},
            ],
            "secret_code": "g-17",
        }

    def files(user):
        return [
            exports.ExportFile(
                path="garden/plan.json",
                group="Garden plan",
                label="Plan",
                content=lambda: b'{"rows": 3}',
                url="",
            )
        ]

    section = exports.register(
        exports.Section(
            key="garden",
            title=gettext_lazy("Your garden"),
            order=65,
            collect=collect,
            files=files,
            description="What you planted.",
            labels={"plant": "Plant", "planted_at": "Planted"},
            machine_only=frozenset({"secret_code"}),
        )
    )
    yield section
    exports.unregister("garden")


def test_a_new_apps_section_is_in_the_download_and_on_the_data_page(cast, client, new_app_section):
    client.force_login(cast.client)
    # then the data page says it is in the download
    page = client.get(reverse("accounts:data")).content.decode()
    assert "<strong>Your garden</strong>: What you planted." in page
    # and the download holds it: in the JSON, after reading (60) and before motivation (70)
    files = unzip(client.get(reverse("accounts:download")).content)
    document = data_json(files)
    keys = list(document["sections"])
    assert keys.index("reading") < keys.index("garden") < keys.index("motivation")
    garden = document["sections"]["garden"]
    assert garden["title"] == "Your garden"
    assert garden["data"]["garden"][0] == {"plant": "Basil", "planted_at": "2026-03-01T08:30:00Z"}
    assert garden["data"]["garden"][1]["plant"] == "Mint for Sam Client"
    assert garden["data"]["secret_code"] == "g-17"
    # with its own file, listed in the JSON
    assert json.loads(files["garden/plan.json"]) == {"rows": 3}
    assert {"path": "garden/plan.json", "about": "Garden plan", "what": "Plan"} in document["files"]
    # and in the readable copy, in words, in the client's time zone (the clinic's: Singapore)
    html = files["waypost-data.html"].decode()
    assert '<h2 id="garden">Your garden</h2>' in html
    assert '<th scope="col">Plant</th><th scope="col">Planted</th>' in html
    assert "<time>1 Mar 2026, 16:30</time>" in html
    assert "g-17" not in html  # machine-only keys stay in the JSON


def test_a_key_is_registered_once(new_app_section):
    with pytest.raises(ValueError, match="already registered"):
        exports.register(
            exports.Section(key="garden", title="Another garden", collect=lambda user: {})
        )
    # registering the very same section again (a second ready()) is harmless
    assert exports.register(new_app_section) is new_app_section


def test_sections_come_in_order():
    orders = [(s.order, s.key) for s in exports.sections()]
    assert orders == sorted(orders)
    assert [s.key for s in exports.sections()][:3] == ["profile", "program", "questionnaires"]


def test_plain_values_become_json():
    singapore = ZoneInfo("Asia/Singapore")
    assert exports.plain(
        {
            "when": datetime(2026, 5, 1, 9, 0, tzinfo=singapore),
            "day": date(2026, 5, 1),
            "from": time(22, 0),
            "words": gettext_lazy("Saved."),
            "tags": ("a", "b"),
            "set": {"b", "a"},
            "none": None,
        }
    ) == {
        "when": "2026-05-01T01:00:00Z",
        "day": "2026-05-01",
        "from": "22:00:00",
        "words": "Saved.",
        "tags": ["a", "b"],
        "set": ["a", "b"],
        "none": None,
    }
    with pytest.raises(TypeError):
        exports.plain(object())
