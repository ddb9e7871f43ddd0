"""The clinic admin's Shield page: categories, SafeSearch, silence hours, the clinic's lists."""

from __future__ import annotations

import html
import logging
import re
from uuid import uuid4

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.cast import make_user
from tests.shield.role_expectations_admin import ROUTES
from waypost.clinics.models import ClinicAdmin
from waypost.shield import clinic_services, sync
from waypost.shield.models import ClinicShield, ListEntry
from waypost.shield.services import ShieldError

pytestmark = pytest.mark.django_db

GOOD = {"categories": ["adult", "gambling"], "safesearch": "moderate", "silence_hours": "48"}


def page_url(slug: str = "north") -> str:
    return reverse("shield:clinic_settings", args=[slug])


def add_url(slug: str = "north") -> str:
    return reverse("shield:clinic_list_add", args=[slug])


def remove_url(slug: str = "north") -> str:
    return reverse("shield:clinic_list_remove", args=[slug])


@pytest.fixture
def south_admin(cast):
    """The admin of the other clinic."""
    user = make_user("admin@south.test", "Sol South")
    ClinicAdmin.objects.create(user=user, clinic=cast.other_clinic)
    return user


@pytest.fixture
def admin(client, cast):
    client.force_login(cast.admin)
    return client


def text(response) -> str:
    """The page as a reader sees its words (``'`` rather than ``&#x27;``)."""
    return html.unescape(response.content.decode())


def checked(words: str) -> set[tuple[str, str]]:
    """(name, value) of each ticked checkbox and chosen radio button on the page."""
    return {
        (name, value)
        for tag in re.findall(r"<input[^>]*>", words)
        if " checked" in tag
        for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', tag)
    }


def entries(clinic) -> set[tuple[str, bool]]:
    return set(ListEntry.objects.filter(clinic=clinic).values_list("name", "allow"))


def stored(clinic) -> tuple | None:
    row = ClinicShield.objects.filter(clinic=clinic).first()
    return None if row is None else (row.categories, row.safesearch, row.silence_hours)


def a_device_on_shield(cast):
    """The cast's client's phone, on Shield (so the resolver's snapshot has a device)."""
    from waypost.recovery.services.devices import add_device
    from waypost.shield import services

    device = add_device(
        enrollment=cast.enrollment, by=cast.client, client_uuid=uuid4(), name="Phone", kind="phone"
    )
    return services.turn_on(device=device, by=cast.client)


# --- who may ---------------------------------------------------------------------------------

REFUSED = [
    "south_admin",
    "clinician",
    "other_clinician",
    "foreign_clinician",
    "client",
    "ally_all",
    "ally_none",
    "anonymous",
]


def _user(cast, role: str, south_admin):
    return south_admin if role == "south_admin" else cast.role(role)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", REFUSED)
def test_only_the_clinics_own_admins_get_in(cast, client, south_admin, route, role):
    # given a clinic with settings and a name on its block-list already
    clinic_services.update_settings(
        clinic=cast.clinic,
        by=cast.admin,
        categories=["adult"],
        safesearch="strict",
        silence_hours=24,
    )
    clinic_services.add_name(
        clinic=cast.clinic, by=cast.admin, name="tempting.example", allow=False
    )
    before = (stored(cast.clinic), entries(cast.clinic))
    user = _user(cast, role, south_admin)
    if user is not None:
        client.force_login(user)
    url = reverse(route.name, kwargs=route.kwargs(cast))
    # when
    if route.method == "post":
        response = client.post(url, {**GOOD, **route.data(cast), "name": "other.example"})
    else:
        response = client.get(url)
    # then: refused, nothing changed, nothing about the clinic shown
    if user is None:
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    else:
        assert response.status_code in (403, 404)
    assert "tempting.example" not in text(response)
    assert (stored(cast.clinic), entries(cast.clinic)) == before


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_the_admin_of_this_clinic_gets_in(cast, admin, route):
    url = reverse(route.name, kwargs=route.kwargs(cast))
    response = getattr(admin, route.method)(url, route.data(cast))
    assert response.status_code == (302 if route.method == "post" else 200)


def test_an_admin_of_two_clinics_changes_only_the_one_named(cast, client):
    ClinicAdmin.objects.create(user=cast.admin, clinic=cast.other_clinic)
    client.force_login(cast.admin)
    client.post(page_url("south"), {**GOOD, "safesearch": "off"})
    client.post(add_url("south"), {"list": "block", "name": "south-only.example"})
    assert stored(cast.other_clinic) == (["adult", "gambling"], "off", 48)
    assert stored(cast.clinic) is None and entries(cast.clinic) == set()
    assert entries(cast.other_clinic) == {("south-only.example", False)}


def test_the_services_check_the_policy_themselves(cast, south_admin):
    with pytest.raises(PermissionDenied):
        clinic_services.update_settings(
            clinic=cast.clinic,
            by=south_admin,
            categories=["adult"],
            safesearch="off",
            silence_hours=5,
        )
    with pytest.raises(PermissionDenied):
        clinic_services.add_name(
            clinic=cast.clinic, by=cast.clinician, name="a.example", allow=True
        )
    with pytest.raises(PermissionDenied):
        clinic_services.remove_name(
            clinic=cast.clinic, by=cast.client, name="a.example", allow=True
        )
    assert stored(cast.clinic) is None and entries(cast.clinic) == set()


def test_a_post_without_the_csrf_token_is_refused(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.admin)
    assert browser.post(page_url(), GOOD).status_code == 403
    assert browser.post(add_url(), {"list": "block", "name": "x.example"}).status_code == 403
    assert stored(cast.clinic) is None and entries(cast.clinic) == set()


# --- the page --------------------------------------------------------------------------------


def test_a_clinic_that_never_chose_sees_the_defaults(cast, admin):
    response = admin.get(page_url())
    words = text(response)
    form = response.context["form"]
    assert form.initial == {"categories": ["adult"], "safesearch": "strict", "silence_hours": 24}
    assert "Waypost's defaults" in words
    assert checked(words) == {("categories", "adult"), ("safesearch", "strict")}
    assert 'name="silence_hours" value="24"' in words
    # every category with its explanation, and when a change applies
    for label in ("Adult sites", "Dating and hook-up sites", "Gambling", "Ways around the filter"):
        assert label in words
    assert "Social media" in words and "most clinics leave this off" in words
    assert f"within {sync.FLUSH_SECONDS} seconds" in words
    assert "No names on this list yet." in words
    assert "<title>Shield settings" in words


@pytest.mark.parametrize(
    "field",
    ["categories", "safesearch", "silence_hours"],
)
def test_saving_each_setting_stores_it_and_comes_back_to_the_page(cast, admin, field):
    # given the defaults, then one setting changed
    data = {"categories": ["adult"], "safesearch": "strict", "silence_hours": "24"}
    changed = {
        "categories": ["dating", "adult", "bypass"],
        "safesearch": "off",
        "silence_hours": "72",
    }
    data[field] = changed[field]
    # when
    response = admin.post(page_url(), data)
    # then: POST-redirect-GET, and the row says so (categories in Shield's own order)
    assert response.status_code == 302 and response["Location"] == page_url()
    expected = {
        "categories": ["adult", "dating", "bypass"],
        "safesearch": "off",
        "silence_hours": 72,
    }
    row = ClinicShield.objects.get(clinic=cast.clinic)
    assert getattr(row, field) == expected[field]
    page = admin.get(response["Location"])
    assert "Shield settings saved" in text(page)
    assert page.context["form"].initial[field] == expected[field]


def test_saving_twice_keeps_one_row(cast, admin):
    admin.post(page_url(), GOOD)
    admin.post(page_url(), {**GOOD, "silence_hours": "100"})
    assert ClinicShield.objects.filter(clinic=cast.clinic).count() == 1
    assert stored(cast.clinic) == (["adult", "gambling"], "moderate", 100)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"silence_hours": "1"}, "at least 2 hours"),
        ({"silence_hours": "169"}, "at most 168 hours"),
        ({"silence_hours": "two"}, "whole number"),
        ({"silence_hours": ""}, "Please give a number of hours."),
        ({"categories": []}, "at least one kind of site"),
        ({"categories": ["adult", "fishing"]}, "Please choose from the kinds of sites listed."),
        ({"safesearch": "extreme"}, "strict, moderate or off"),
        ({"safesearch": ""}, "Please choose a SafeSearch level."),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message_and_nothing_changes(
    cast, admin, change, message
):
    # given settings the clinic chose earlier
    admin.post(page_url(), GOOD)
    before = stored(cast.clinic)
    # when
    response = admin.post(page_url(), {**GOOD, **change})
    # then
    assert response.status_code == 400
    assert message in text(response)
    assert stored(cast.clinic) == before


def test_bad_settings_on_a_clinic_that_never_chose_create_nothing(cast, admin):
    response = admin.post(page_url(), {**GOOD, "silence_hours": "0"})
    assert response.status_code == 400
    assert not ClinicShield.objects.filter(clinic=cast.clinic).exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"silence_hours": True}, "whole number"),
        ({"silence_hours": "24"}, "whole number"),
        ({"silence_hours": 1}, "from 2 to 168"),
        ({"categories": []}, "at least one"),
        ({"categories": ["canary"]}, "kinds of sites listed"),
        ({"safesearch": "STRICT"}, "strict, moderate or off"),
    ],
)
def test_the_service_refuses_what_a_form_would_not_send(cast, kwargs, message):
    arguments = {"categories": ["adult"], "safesearch": "strict", "silence_hours": 24, **kwargs}
    with pytest.raises(ShieldError, match=message):
        clinic_services.update_settings(clinic=cast.clinic, by=cast.admin, **arguments)
    assert stored(cast.clinic) is None


# --- the lists -------------------------------------------------------------------------------


def test_a_name_added_is_cleaned_listed_and_shown(cast, admin):
    response = admin.post(add_url(), {"list": "block", "name": "  WWW.Tempting.Example. "})
    assert response.status_code == 302
    assert response["Location"] == page_url() + "#block"
    assert entries(cast.clinic) == {("www.tempting.example", False)}
    words = text(admin.get(page_url()))
    assert "www.tempting.example is always blocked now" in words
    assert '<span class="shield-name">www.tempting.example</span>' in words
    admin.post(add_url(), {"list": "allow", "name": "school.example"})
    assert entries(cast.clinic) == {("www.tempting.example", False), ("school.example", True)}
    assert "school.example is always allowed now" in text(admin.get(page_url()))


def test_adding_a_name_again_changes_nothing(cast, admin):
    admin.post(add_url(), {"list": "allow", "name": "school.example"})
    response = admin.post(add_url(), {"list": "allow", "name": "School.example"})
    assert response.status_code == 302
    assert ListEntry.objects.filter(clinic=cast.clinic).count() == 1
    assert "already on this list" in text(admin.get(page_url()))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"list": "block", "name": "not a web address!"},
            "is not a web address Shield can look at",
        ),
        ({"list": "block", "name": "192.0.2.1"}, "is not a web address Shield can look at"),
        ({"list": "block", "name": ""}, "Please write the web address."),
        ({"list": "block", "name": "a" * 254}, "at most 253 characters"),
        ({"list": "allow", "name": "com"}, "Allowing everything that ends in .com"),
        ({"list": "maybe", "name": "x.example"}, "Please choose the allow-list or the block-list."),
        ({"name": "x.example"}, "Please choose the allow-list or the block-list."),
        # on the other list already: take it off there first
        ({"list": "allow", "name": "held.example"}, "held.example is on the clinic's block-list"),
        ({"list": "block", "name": "open.example"}, "open.example is on the clinic's allow-list"),
    ],
)
def test_a_name_that_cannot_be_added_is_refused_and_nothing_changes(cast, admin, data, message):
    # given one name on each list
    admin.post(add_url(), {"list": "block", "name": "held.example"})
    admin.post(add_url(), {"list": "allow", "name": "open.example"})
    before = entries(cast.clinic)
    # when
    response = admin.post(add_url(), data)
    # then
    assert response.status_code == 400
    assert message in text(response)
    assert entries(cast.clinic) == before


def test_the_names_check_is_the_clients_own_lists_check(cast):
    """One rule for a web address everywhere: the clinic's lists reuse services.clean_name."""
    from waypost.shield import services

    with pytest.raises(ShieldError) as by_clinic:
        clinic_services.add_name(clinic=cast.clinic, by=cast.admin, name="bad name", allow=False)
    with pytest.raises(ShieldError) as by_rule:
        services.clean_name("bad name")
    assert by_clinic.value.message == by_rule.value.message


def test_a_whole_ending_may_be_blocked_but_not_allowed(cast, admin):
    assert admin.post(add_url(), {"list": "block", "name": "xxx"}).status_code == 302
    assert admin.post(add_url(), {"list": "allow", "name": "org"}).status_code == 400
    assert entries(cast.clinic) == {("xxx", False)}


def test_a_full_list_takes_no_more(cast, admin, monkeypatch):
    monkeypatch.setattr(clinic_services, "CLINIC_LIST_MAX", 2)
    for name in ("one.example", "two.example"):
        admin.post(add_url(), {"list": "block", "name": name})
    response = admin.post(add_url(), {"list": "block", "name": "three.example"})
    assert response.status_code == 400
    assert "This list is full (2 names)" in text(response)
    assert len(entries(cast.clinic)) == 2
    # the page says so instead of offering the form, and the other list still takes names
    assert "This list is full (2 names). Take off a name" in text(admin.get(page_url()))
    assert admin.post(add_url(), {"list": "allow", "name": "ok.example"}).status_code == 302


def test_a_name_removed_is_gone_and_removing_it_again_is_harmless(cast, admin):
    admin.post(add_url(), {"list": "block", "name": "held.example"})
    admin.post(add_url(), {"list": "allow", "name": "open.example"})
    response = admin.post(remove_url(), {"list": "block", "name": "held.example"})
    assert response.status_code == 302 and response["Location"] == page_url() + "#block"
    assert entries(cast.clinic) == {("open.example", True)}
    assert "held.example is off the list" in text(admin.get(page_url()))
    # a double click: nothing more to do, and it says so
    again = admin.post(remove_url(), {"list": "block", "name": "held.example"})
    assert again.status_code == 302
    assert "held.example was not on this list" in text(admin.get(page_url()))
    # the right list only: open.example is on the allow-list, not the block-list
    admin.post(remove_url(), {"list": "block", "name": "open.example"})
    assert entries(cast.clinic) == {("open.example", True)}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"list": "nope", "name": "held.example"},
            "Please choose the allow-list or the block-list.",
        ),
        ({"list": "block", "name": ""}, "Please write the web address."),
        ({"list": "block", "name": "bad name"}, "is not a web address Shield can look at"),
    ],
)
def test_a_removal_that_makes_no_sense_is_refused(cast, admin, data, message):
    admin.post(add_url(), {"list": "block", "name": "held.example"})
    response = admin.post(remove_url(), data)
    assert response.status_code == 400
    assert message in text(response)
    assert entries(cast.clinic) == {("held.example", False)}


def test_a_clients_own_list_is_left_alone(cast, admin):
    from waypost.shield import services

    services.block_name(enrollment=cast.enrollment, by=cast.client, name="mine.example")
    # the clinic's list and a client's own list are separate: both may hold a name
    assert admin.post(add_url(), {"list": "block", "name": "mine.example"}).status_code == 302
    assert admin.post(remove_url(), {"list": "block", "name": "mine.example"}).status_code == 302
    assert ListEntry.objects.filter(enrollment=cast.enrollment, name="mine.example").exists()
    assert entries(cast.clinic) == set()


# --- what Shield then does -------------------------------------------------------------------


def test_the_resolvers_snapshot_carries_the_saved_settings(cast, admin):
    # given a device of the clinic's client on Shield
    shield_device = a_device_on_shield(cast)
    before = sync.build_snapshot()["devices"][str(shield_device.pk)]
    assert (before["categories"], before["safesearch"]) == (["adult"], "strict")
    # when the admin chooses and lists
    admin.post(
        page_url(), {"categories": ["gambling", "adult"], "safesearch": "off", "silence_hours": "6"}
    )
    admin.post(add_url(), {"list": "allow", "name": "school.example"})
    admin.post(add_url(), {"list": "block", "name": "tempting.example"})
    # then the next snapshot has them
    device = sync.build_snapshot()["devices"][str(shield_device.pk)]
    assert device["categories"] == ["adult", "gambling"]
    assert device["safesearch"] == "off"
    assert device["allow"] == ["school.example"]
    assert device["block"] == ["tempting.example"]
    # and the silence check counts in the clinic's hours
    from waypost.shield import silence

    hours = (
        silence.in_use().annotate(limit=silence.hours_expression()).get(pk=shield_device.pk).limit
    )
    assert hours == 6
    # a name taken off leaves the next snapshot
    admin.post(remove_url(), {"list": "block", "name": "tempting.example"})
    assert sync.build_snapshot()["devices"][str(shield_device.pk)]["block"] == []


def test_the_snapshot_policy_blocks_and_allows_as_the_admin_chose(cast, admin):
    """End to end in the resolver's own terms: the policy it builds from the snapshot."""
    from waypost.shield import rules, snapshot

    shield_device = a_device_on_shield(cast)
    admin.post(
        page_url(),
        {"categories": ["adult", "dating"], "safesearch": "moderate", "silence_hours": "24"},
    )
    admin.post(add_url(), {"list": "block", "name": "tempting.example"})
    admin.post(add_url(), {"list": "allow", "name": "dating-help.example"})
    # the resolver's own way from a snapshot to a device's policy
    policy = snapshot.SnapshotIdentities(sync.build_snapshot()).policy_for(str(shield_device.pk))

    class Lists:
        def match(self, name: str) -> str | None:
            return {"dating.example": "dating", "dating-help.example": "dating"}.get(name)

    assert rules.decide("www.tempting.example", policy, Lists()).verdict is rules.Verdict.BLOCK
    assert rules.decide("dating.example", policy, Lists()).category == "dating"
    assert rules.decide("dating-help.example", policy, Lists()).verdict is rules.Verdict.FORWARD
    youtube = rules.decide("www.youtube.com", policy, Lists())
    assert youtube.target == "restrictmoderate.youtube.com"


def test_a_clients_bypass_block_still_adds_to_the_clinics_categories(cast, admin):
    from waypost.shield import decisions

    shield_device = a_device_on_shield(cast)
    decisions.set_block_bypass(enrollment=cast.enrollment, by=cast.clinician, on=True)
    admin.post(
        page_url(), {"categories": ["gambling"], "safesearch": "strict", "silence_hours": "24"}
    )
    device = sync.build_snapshot()["devices"][str(shield_device.pk)]
    assert device["categories"] == ["gambling", "bypass"]


# --- recorded ----------------------------------------------------------------------------------


def test_each_change_is_logged_with_ids_and_no_names(cast, admin, caplog):
    caplog.set_level(logging.INFO, logger="waypost.security")
    admin.post(page_url(), GOOD)
    admin.post(page_url(), GOOD)  # the same again: nothing changed, nothing logged
    admin.post(add_url(), {"list": "block", "name": "secret-site.example"})
    admin.post(remove_url(), {"list": "block", "name": "secret-site.example"})
    lines = [r.getMessage() for r in caplog.records if r.name == "waypost.security"]
    who = f"clinic {cast.clinic.pk} changed by user {cast.admin.pk}"
    assert lines == [
        f"shield settings of {who}: settings (categories, safesearch, silence_hours)",
        f"shield settings of {who}: a name added to the block-list",
        f"shield settings of {who}: a name taken off the block-list",
    ]
    assert not any("secret-site" in line for line in lines)
