"""The client's five sections: every page lights the tab that holds it, on a phone and a laptop."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from waypost.core import nav

pytestmark = pytest.mark.django_db

BAR = re.compile(r'<nav class="bottom-nav"[^>]*>(.*?)</nav>', re.S)
TOP = re.compile(r'<nav class="top-nav"[^>]*>(.*?)</nav>', re.S)
CURRENT = re.compile(r'<a href="[^"]*" aria-current="page">([^<]*)</a>')
TOP_CURRENT = re.compile(r'<a class="in-bottom-nav" href="[^"]*" aria-current="page">([^<]*)</a>')


@pytest.mark.parametrize(
    ("view_name", "tab"),
    [
        ("program:today", "today"),
        ("program:journey", "journey"),
        ("program:welcome", "me"),
        # the work of the program is listed on Journey
        ("motivation:overview", "journey"),
        ("motivation:readiness", "journey"),
        ("motivation:values_sort", "journey"),
        ("assessments:measures", "journey"),
        ("assessments:question", "journey"),
        ("assessments:result", "journey"),
        ("intake:overview", "journey"),
        ("intake:story_part", "journey"),
        ("safety:my_plan", "journey"),
        ("safety:my_plan_edit", "journey"),
        # each other tab holds its own app's pages
        ("learn:library", "learn"),
        ("learn:module", "learn"),
        ("connect:allies", "connect"),
        ("connect:invite", "connect"),
        ("accounts:account", "me"),
        ("accounts:data", "me"),
        # and "Me" holds the sign-in settings django-allauth serves
        ("account_change_password", "me"),
        ("account_email", "me"),
        ("mfa_index", "me"),
        ("mfa_activate_totp", "me"),
        # pages outside the client's sections light nothing
        ("help", None),
        ("caseload:list", None),
        ("safety:inbox", None),
    ],
)
def test_each_page_belongs_to_one_tab(view_name, tab):
    assert nav.tab_for_view(view_name) == tab


def test_a_rule_for_an_unknown_tab_or_a_star_in_the_middle_is_refused():
    with pytest.raises(ValueError, match="unknown tab"):
        nav.register("x:*", "settings")
    with pytest.raises(ValueError, match="one '\\*'"):
        nav.register("x:*:y", "me")


def test_the_most_specific_rule_wins():
    try:
        nav.register("motivation:stage", "today")
        assert nav.tab_for_view("motivation:stage") == "today"
        assert nav.tab_for_view("motivation:values") == "journey"
    finally:
        nav.unregister("motivation:stage")


def _lit(html: str) -> tuple[list[str], list[str]]:
    """The names lit in the bottom bar and in the top links."""
    bar = BAR.search(html)
    top = TOP.search(html)
    assert bar and top
    return CURRENT.findall(bar.group(1)), TOP_CURRENT.findall(top.group(1))


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (reverse("program:today"), "Today"),
        (reverse("program:journey"), "Journey"),
        (reverse("motivation:overview"), "Journey"),
        (reverse("motivation:readiness"), "Journey"),
        (reverse("assessments:measures"), "Journey"),
        (reverse("intake:overview"), "Journey"),
        (reverse("safety:my_plan"), "Journey"),
        (reverse("learn:library"), "Learn"),
        (reverse("connect:allies"), "Connect"),
        (reverse("accounts:account"), "Me"),
        (reverse("account_change_password"), "Me"),
        (reverse("mfa_index"), "Me"),
        (reverse("program:welcome"), "Me"),
    ],
)
def test_the_client_sees_the_right_tab_lit_in_both_bars(cast, client, url, name):
    client.force_login(cast.client)
    response = client.get(url)
    assert response.status_code == 200, url
    bar, top = _lit(response.content.decode())
    assert bar == [name]
    # the same page has the same name on a wide screen ("Me" on top too, never "Account")
    assert top == [name]


def test_the_help_page_lights_no_tab(cast, client):
    client.force_login(cast.client)
    assert _lit(client.get(reverse("help")).content.decode()) == ([], [])


def test_clients_read_me_and_staff_read_account(cast, client):
    client.force_login(cast.client)
    top = TOP.search(client.get(reverse("program:today")).content.decode())
    assert top and ">Me</a>" in top.group(1) and ">Account</a>" not in top.group(1)
    client.force_login(cast.clinician)
    html = client.get(reverse("caseload:list")).content.decode()
    top = TOP.search(html)
    assert top and ">Account</a>" in top.group(1) and ">Me</a>" not in top.group(1)
    assert "bottom-nav" not in html


def test_every_client_section_is_in_the_bar_and_the_motivation_tools_are_two_taps_away(
    cast, client
):
    client.force_login(cast.client)
    html = client.get(reverse("program:today")).content.decode()
    bar = BAR.search(html)
    assert bar
    for tab in nav.TABS:
        assert f'href="{reverse(tab.url_name)}"' in bar.group(1)
    # Journey (one tap) links the motivation overview and the rest of the client's work
    journey = client.get(reverse("program:journey")).content.decode()
    for url_name in (
        "motivation:overview",
        "assessments:measures",
        "intake:overview",
        "intake:story",
        "safety:my_plan",
    ):
        assert f'href="{reverse(url_name)}"' in journey
