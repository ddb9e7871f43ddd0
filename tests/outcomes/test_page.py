"""The outcomes page: who sees whose figures, where it is linked, what the audit trail keeps."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.outcomes.helpers import NOW, a_client, an_alert, outcomes_url
from waypost.clinics.models import ClinicianProfile
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _as(client, user):
    client.logout()
    client.force_login(user)
    return client


def _options(html: str) -> list[str]:
    select = re.search(r'<select id="outcomes-clinician".*?</select>', html, re.S)
    assert select, "no clients filter on the page"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def _clients(cast, profile, n: int) -> None:
    for _n in range(n):
        a_client(cast, profile=profile)


def test_the_admin_sees_the_clinic_tabs_and_may_pick_each_clinician(cast, client):
    _clients(cast, cast.clinician_profile, 4)  # five with the cast's client
    _clients(cast, ClinicianProfile.objects.get(user=cast.other_clinician), 5)
    page = _as(client, cast.admin).get(outcomes_url(cast))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Outcomes · Waypost</title>" in html
    assert 'aria-current="page">Outcomes</a>' in html  # its tab among the clinic's
    assert _options(html) == ["Whole clinic", "Cleo Clinician’s clients", "Otto Other’s clients"]


def test_a_clinician_sees_the_clinic_and_their_own_clients_but_no_colleague_by_name(cast, client):
    _clients(cast, ClinicianProfile.objects.get(user=cast.other_clinician), 5)
    page = _as(client, cast.clinician).get(outcomes_url(cast))
    html = page.content.decode()
    assert page.status_code == 200
    assert _options(html) == ["Whole clinic", "Your clients"]
    assert "Otto Other" not in html
    assert 'class="subnav"' not in html  # the admin's tabs are the admin's
    assert (
        "Your clients ·"
        in _as(client, cast.clinician)
        .get(outcomes_url(cast, clinician=cast.clinician_profile.pk))
        .content.decode()
    )


def test_a_clinician_asking_for_a_colleagues_figures_gets_the_clinics_and_is_told(cast, client):
    colleague = ClinicianProfile.objects.get(user=cast.other_clinician)
    for _n in range(5):
        an_alert(a_client(cast, profile=colleague), raised=3)
    page = _as(client, cast.clinician).get(outcomes_url(cast, clinician=colleague.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Those clients are not among the ones you can see" in html
    assert "Whole clinic ·" in html
    assert "<dt>Raised</dt><dd>5</dd>" in html  # the clinic's figures, the colleague's alerts too


def test_the_page_is_offered_above_the_caseload_and_on_the_clinic_overview(cast, client):
    url = outcomes_url(cast)
    caseload = _as(client, cast.clinician).get(reverse("caseload:list")).content.decode()
    assert f'<a href="{url}">Outcomes</a>' in caseload
    overview = _as(client, cast.admin).get(reverse("clinics:manage_index")).content.decode()
    assert f'href="{url}"' in overview


def test_each_client_counted_is_recorded_in_the_clinics_audit_trail(cast, client):
    colleague = ClinicianProfile.objects.get(user=cast.other_clinician)
    others = [a_client(cast, profile=colleague) for _n in range(5)]
    others += [a_client(cast) for _n in range(4)]  # the cast clinician's: five with hers
    _as(client, cast.admin).get(outcomes_url(cast))
    rows = AuditEvent.objects.filter(actor=cast.admin, what="clinic outcomes")
    assert {(r.client_id, r.clinic_id, r.action) for r in rows} == {
        (cast.client.pk, cast.clinic.pk, "view"),
        *((other.client_id, cast.clinic.pk, "view") for other in others),
    }
    assert all(r.path == outcomes_url(cast) for r in rows)
    # One clinician's figures: only their clients.
    _as(client, cast.admin).get(outcomes_url(cast, clinician=colleague.pk))
    assert AuditEvent.objects.filter(actor=cast.admin, what="clinic outcomes").count() == 10 + 5


def test_the_page_only_reads(cast, client):
    response = _as(client, cast.admin).post(outcomes_url(cast))
    assert response.status_code == 405


def test_no_client_is_named_whoever_looks_and_at_whatever(cast, client):
    named = a_client(cast, joined=60, stages=((30, 2),))
    an_alert(named, raised=3, acknowledged_after=timedelta(hours=1))
    names = [cast.client.name, named.client.name, cast.client.email, named.client.email]
    for user in (cast.admin, cast.clinician, cast.other_clinician):
        for query in ({}, {"period": "all"}, {"clinician": cast.clinician_profile.pk}):
            html = _as(client, user).get(outcomes_url(cast, **query)).content.decode()
            for name in names:
                assert name not in html, (user, query, name)
