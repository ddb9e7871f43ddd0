"""The installable app: the manifest, the service worker, the offline page and signing out."""

from __future__ import annotations

import json
import re
from uuid import uuid4

import pytest
from django.urls import reverse

from waypost.core import help_doors, offline

pytestmark = pytest.mark.django_db


def _config(response) -> dict:
    """The JSON the worker's script starts with."""
    first_line = response.content.decode().split("\n", 1)[0]
    match = re.fullmatch(r"const WAYPOST = (\{.*\});", first_line)
    assert match, first_line
    return json.loads(match.group(1))


def test_the_worker_is_served_from_the_root_as_javascript_for_the_whole_site(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert 'addEventListener("fetch"' in response.content.decode()


def test_the_worker_keeps_only_the_shell_and_the_pages_for_a_hard_moment(client, cast):
    config = _config(client.get("/sw.js"))

    assert config["cache"].startswith("waypost-")
    assert set(config["pages"]) == {
        "/offline/",
        "/toolbox/",
        *(f"/toolbox/{slug}/" for slug in _skill_slugs()),
        "/help/urge/",
        "/help/",
        "/safety-plan/",
        "/urges/new/",
        "/middle/new/",
    }
    assert all(url.startswith("/static/") for url in config["assets"])
    assert "/static/waypost/app.css" in config["assets"]
    assert "/static/core/offline.js" in config["assets"]
    assert "/static/recovery/toolbox.js" in config["assets"]
    assert config["offline"] == "/offline/"


def test_the_worker_holds_no_ones_data_and_is_the_same_for_everyone(client, cast):
    from waypost.safety.services import save_plan

    save_plan(enrollment=cast.enrollment, content={"reasons": ["Walk the dog"]}, by=cast.client)
    anonymous = client.get("/sw.js").content
    client.force_login(cast.client)
    signed_in = client.get("/sw.js")

    assert signed_in.content == anonymous
    text = signed_in.content.decode()
    assert "Walk the dog" not in text
    assert cast.client.email not in text
    # no ids of any kind in the kept pages' paths
    assert not any(re.search(r"/\d+/", url) for url in _config(signed_in)["pages"])


def test_the_cache_name_changes_when_a_kept_file_changes(tmp_path, settings, monkeypatch):
    from django.contrib.staticfiles import finders

    asset = tmp_path / "waypost" / "app.css"
    asset.parent.mkdir()
    asset.write_text("body { color: black; }")
    real_find = finders.find
    monkeypatch.setattr(
        finders,
        "find",
        lambda path, **kw: str(asset) if path == "waypost/app.css" else real_find(path, **kw),
    )
    settings.DEBUG = True  # worked out on every call, not once per process
    before = offline.cache_version()
    asset.write_text("body { color: navy; }")
    after = offline.cache_version()

    assert before != after
    assert before.startswith("waypost-") and after.startswith("waypost-")


def test_the_manifest_names_the_app_discreetly_with_its_own_icons(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["name"] == data["short_name"] == "Waypost"
    assert data["start_url"] == data["scope"] == "/"
    assert data["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_the_icons_are_the_sizes_they_say():
    from django.contrib.staticfiles import finders
    from PIL import Image

    for name, size in (
        ("icon-192.png", 192),
        ("icon-512.png", 512),
        ("icon-maskable-512.png", 512),
    ):
        with Image.open(finders.find(f"waypost/{name}")) as image:
            assert image.size == (size, size), name


def test_every_page_links_the_manifest_and_the_offline_script(client, cast):
    client.force_login(cast.client)
    html = client.get(reverse("program:today")).content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'src="/static/core/offline.js"' in html
    assert f'data-offline-user="{cast.client.pk}"' in html
    assert 'id="offline-text"' in html
    assert "data-sign-out" in html


def test_only_a_clients_pages_ask_for_the_worker_that_keeps_pages(client, cast):
    client.force_login(cast.clinician)
    html = client.get(reverse("caseload:list")).content.decode()
    assert "data-offline-user" not in html
    assert "data-push-only" in html


def test_the_csp_allows_the_worker_and_the_manifest_from_this_host_only(client):
    csp = client.get("/login/")["Content-Security-Policy"]
    assert "worker-src 'self'" in csp
    assert "manifest-src 'self'" in csp


def test_the_offline_page_lists_what_still_works(client, cast):
    client.force_login(cast.client)
    response = client.get("/offline/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Offline · Waypost</title>" in html
    for path in ("/toolbox/", "/help/urge/", "/help/", "/safety-plan/", "/urges/new/"):
        assert f'href="{path}"' in html, path


# --- signing out clears what this browser kept ---------------------------------------------------


def test_signing_out_tells_the_browser_to_clear_its_caches_and_storage(client, cast):
    client.force_login(cast.client)

    confirm = client.get(reverse("account_logout"))
    response = client.post(reverse("account_logout"))

    assert "Clear-Site-Data" not in confirm
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
    # the sign-out form lets the page ask the worker to forget before it goes
    assert "data-sign-out" in confirm.content.decode()


def test_signing_out_when_already_signed_out_clears_nothing_new(client):
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "Clear-Site-Data" in response  # nobody is signed in: wiping is harmless


# --- the registries -------------------------------------------------------------------------------


def test_replay_answers_follow_the_queues_protocol(rf):
    assert offline.is_replay(rf.post("/", HTTP_X_WAYPOST_REPLAY="1"))
    assert not offline.is_replay(rf.post("/"))
    assert offline.stored(created=True).status_code == 201
    assert offline.stored(created=False).status_code == 200
    refused = offline.refused({"minutes": ["Too many."]})
    assert refused.status_code == 400
    assert json.loads(refused.content) == {"stored": False, "errors": {"minutes": ["Too many."]}}


def test_a_registered_help_door_shows_only_where_its_url_says_so(rf, cast):
    door = help_doors.HelpDoor(
        key="tests.door",
        label="Test door",
        hint="behind it",
        url=lambda request: "/somewhere/" if request.GET.get("show") else None,
        order=999,
    )
    help_doors.register(door)
    try:
        request = rf.get("/help/", {"show": "1"})
        request.user = cast.client
        keys = [d.key for d in help_doors.doors_for(request)]
        hidden = rf.get("/help/")
        hidden.user = cast.client
        assert "tests.door" not in [d.key for d in help_doors.doors_for(hidden)]
    finally:
        help_doors.unregister("tests.door")
    assert keys[-1] == "tests.door"
    assert keys[0] == "recovery.urge"


def _skill_slugs() -> list[str]:
    from waypost.recovery import skills

    return [s.slug for s in skills.toolbox()]


def test_a_client_uuid_is_never_in_the_worker(client):
    # the worker holds lists of paths, never a form's one-off values
    assert str(uuid4())[:8] not in client.get("/sw.js").content.decode()


def test_a_queued_entry_keeps_the_time_it_was_saved_on_the_phone_if_sensible(rf):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()

    def replay(value, **headers):
        return rf.post("/", {"queued_at": value}, **{"HTTP_X_WAYPOST_REPLAY": "1", **headers})

    an_hour_ago = (now - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert abs(offline.queued_at(replay(an_hour_ago)) - (now - timedelta(hours=1))) < timedelta(
        seconds=1
    )
    assert offline.queued_at(rf.post("/", {"queued_at": an_hour_ago})) is None  # not a replay
    for nonsense in (
        "yesterday",
        "",
        (now + timedelta(days=1)).isoformat(),  # the future
        (now - timedelta(days=60)).isoformat(),  # too old to believe
        "2026-01-01T10:00:00",  # no time zone
    ):
        assert offline.queued_at(replay(nonsense)) is None, nonsense
