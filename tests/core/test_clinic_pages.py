"""Apps add their pages to the clinic admin's tabs and overview through core.clinic_pages."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from waypost.core import clinic_pages
from waypost.core.clinic_pages import ClinicPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    """Register pages for one test; whatever the test registered is gone afterwards."""
    keys: list[str] = []

    def add(**kwargs) -> ClinicPage:
        page = clinic_pages.register(ClinicPage(**kwargs))
        keys.append(page.key)
        return page

    yield add
    for key in keys:
        clinic_pages.unregister(key)


@pytest.fixture
def as_admin(client, cast):
    client.force_login(cast.admin)
    return client


def _subnav(html: str) -> str:
    found = re.search(r'<nav class="subnav".*?</nav>', html, re.S)
    assert found, "the clinic admin's tabs are missing"
    return found.group(0)


def _tabs(html: str) -> list[tuple[str, str, bool]]:
    """(label, href, current) of each tab, in order."""
    return [
        (label.strip(), href, "aria-current" in rest)
        for href, rest, label in re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', _subnav(html))
    ]


def _tiles(html: str) -> list[tuple[str, str]]:
    """(label, href) of each tile on the overview, in order."""
    return re.findall(r'<a class="tile[^"]*" href="([^"]+)"><strong>([^<]+)</strong>', html)


# --- the registry itself ---------------------------------------------------------------------


def test_pages_come_in_order_and_unregistering_removes_one(registered):
    # given
    registered(key="t.late", label="Late", description="", url_name="clinics:audit", order=999)
    registered(key="t.early", label="Early", description="", url_name="clinics:audit", order=-1)
    # when
    keys = [page.key for page in clinic_pages.all_pages()]
    # then
    assert keys[0] == "t.early" and keys[-1] == "t.late"
    clinic_pages.unregister("t.early")
    assert "t.early" not in [page.key for page in clinic_pages.all_pages()]
    clinic_pages.unregister("t.never-registered")  # nothing to do, no error


def test_the_same_key_replaces_a_page(registered):
    registered(key="t.one", label="First", description="", url_name="clinics:audit")
    registered(key="t.one", label="Second", description="", url_name="clinics:audit")
    labels = [page.label for page in clinic_pages.all_pages() if page.key == "t.one"]
    assert labels == ["Second"]


def test_a_page_lights_on_its_own_url_or_on_the_names_it_gives():
    own = ClinicPage("t", "T", "", "app:page")
    assert own.lit_by("app:page")
    assert not own.lit_by("app:page_two") and not own.lit_by("other:page")
    given = ClinicPage("t", "T", "", "app:page", lights=("app:page", "app:sub_*"))
    assert given.lit_by("app:page") and given.lit_by("app:sub_one") and given.lit_by("app:sub_")
    assert not given.lit_by("app:other") and not given.lit_by("other:sub_one")


@pytest.mark.parametrize(
    ("url_name", "lights"),
    [
        ("page", ()),  # no namespace
        ("app:page", ("page_two",)),
        ("app:page", ("app:*page",)),  # a star anywhere but the end
        ("app:page", ("app:page**",)),
    ],
)
def test_a_badly_named_page_is_refused(url_name, lights):
    with pytest.raises(ValueError, match="clinic page|page pattern"):
        ClinicPage("t", "T", "", url_name, lights=lights)


# --- the tabs ----------------------------------------------------------------------------------


def test_the_tabs_keep_the_clinics_links_and_add_the_registered_pages(cast, as_admin):
    html = as_admin.get(reverse("clinics:settings", args=["north"])).content.decode()
    tabs = _tabs(html)
    labels = [label for label, _href, _current in tabs]
    assert labels[:5] == ["Settings", "Crisis lines", "Stage gates", "Staff", "Clients"]
    assert labels[-1] == "Audit trail"
    hrefs = dict((label, href) for label, href, _current in tabs)
    # the links the clinics template used to name itself, now registered by their apps
    assert hrefs["Measures"] == reverse("assessments:clinic_settings", args=["north"])
    assert hrefs["Risk overview"] == reverse("safety:clinic_risk", args=["north"])
    assert hrefs["Shield"] == reverse("shield:clinic_settings", args=["north"])
    assert labels.index("Measures") < labels.index("Risk overview") < labels.index("Shield")
    assert [label for label, _href, current in tabs if current] == ["Settings"]


@pytest.mark.parametrize(
    ("url_name", "kwargs", "current"),
    [
        ("assessments:clinic_settings", {"slug": "north"}, "Measures"),
        ("assessments:clinic_instruments", {"slug": "north"}, "Measures"),
        ("safety:clinic_risk", {"slug": "north"}, "Risk overview"),
        # same URL name as the Measures page, another namespace: only Shield lights
        ("shield:clinic_settings", {"slug": "north"}, "Shield"),
        ("clinics:crisis_lines", {"slug": "north"}, "Crisis lines"),
        ("clinics:audit", {"slug": "north"}, "Audit trail"),
    ],
)
def test_exactly_one_tab_is_current(cast, as_admin, url_name, kwargs, current):
    response = as_admin.get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
    lit = [label for label, _href, on in _tabs(response.content.decode()) if on]
    assert lit == [current]


def test_a_registered_page_shows_in_the_tabs_until_unregistered(cast, as_admin, registered):
    # given a page another app adds, lighting on the audit trail's pages too
    registered(
        key="t.reports",
        label="Reports here",
        description="Numbers for the board",
        url_name="clinics:gates",
        lights=("clinics:gates",),
        order=15,
    )
    url = reverse("clinics:gates", args=["north"])
    # when
    tabs = _tabs(as_admin.get(url).content.decode())
    # then: between Measures (10) and Risk overview (20), with the clinic's slug, lit here
    labels = [label for label, _href, _on in tabs]
    assert labels.index("Measures") < labels.index("Reports here") < labels.index("Risk overview")
    assert ("Reports here", url, True) in tabs
    clinic_pages.unregister("t.reports")
    assert "Reports here" not in as_admin.get(url).content.decode()


def test_another_clinics_tabs_link_to_that_clinic(cast, client):
    from waypost.clinics.models import ClinicAdmin

    ClinicAdmin.objects.create(user=cast.admin, clinic=cast.other_clinic)
    client.force_login(cast.admin)
    html = client.get(reverse("clinics:settings", args=["south"])).content.decode()
    hrefs = dict((label, href) for label, href, _on in _tabs(html))
    assert hrefs["Shield"] == reverse("shield:clinic_settings", args=["south"])
    assert hrefs["Measures"] == reverse("assessments:clinic_settings", args=["south"])


# --- the overview's tiles ----------------------------------------------------------------------


def test_the_overview_has_a_tile_per_registered_page_with_a_tile(cast, as_admin, registered):
    registered(
        key="t.tileless",
        label="No tile here",
        description="Never shown",
        url_name="clinics:gates",
        tile=False,
    )
    html = as_admin.get(reverse("clinics:manage_index")).content.decode()
    tiles = _tiles(html)
    labels = [label for _href, label in tiles]
    assert ("/clinic/north/measures/", "Measures") in tiles
    assert (reverse("shield:clinic_settings", args=["north"]), "Shield") in tiles
    assert "What the filter blocks for every client, SafeSearch, your own lists" in html
    # safety keeps its live tile ("Risk alerts") and adds no second one
    risk = reverse("safety:clinic_risk", args=["north"])
    assert [label for href, label in tiles if href == risk] == ["Risk alerts"]
    assert "No tile here" not in labels and "Never shown" not in html
    assert labels[-1] == "Audit trail"


def test_registered_pages_cost_no_queries(cast, as_admin, registered):
    url = reverse("clinics:settings", args=["north"])
    as_admin.get(url)  # warm up (session, roles)
    with CaptureQueriesContext(connection) as before:
        as_admin.get(url)
    for n in range(5):
        registered(key=f"t.more{n}", label=f"More {n}", description="", url_name="clinics:gates")
    with CaptureQueriesContext(connection) as after:
        html = as_admin.get(url).content.decode()
    assert "More 4" in html
    assert len(after.captured_queries) == len(before.captured_queries)
