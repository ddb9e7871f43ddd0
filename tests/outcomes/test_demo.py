"""The demo clinic's outcomes: real numbers from the demo's own histories, and no client named."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from waypost.accounts.models import User
from waypost.caseload.outcomes import report
from waypost.caseload.outcomes.scope import Scope, clinic_zone, preset_period
from waypost.clinics.models import Clinic, ClinicianProfile

pytestmark = pytest.mark.django_db

CLIENTS = ("Daniel Lim", "Wei Jie Goh", "Farid Rahman", "Marcus Teo")


def test_the_demo_clinics_figures_have_something_in_every_one(demo):
    clinic = Clinic.objects.get(slug="demo")
    now = timezone.now()
    scope = Scope(
        clinic, None, preset_period("90d", now.astimezone(clinic_zone(clinic)).date()), now
    )
    figures = {figure.key: figure for figure in report.build(scope).figures}
    assert not [key for key, figure in figures.items() if figure.empty]
    assert [row.cells[0].text for row in figures["stages"].rows] == ["1", "1", "1", "1"]
    assert any(row.cells[0].text != "0" for row in figures["time"].rows)  # stays that ended
    assert int(figures["completion"].total.cells[0].text) >= 20
    adherence = int(figures["adherence"].total.cells[-1].text.rstrip("%"))
    assert 50 <= adherence <= 100
    assert dict(figures["alerts"].facts)["Raised"] != "0"
    # Four clients: every share of clients says "fewer than 5", as the page explains.
    assert {c.text for row in figures["change"].rows for c in row.cells if c.withheld} == {
        "fewer than 5"
    }


def _names_in(html: str) -> list[str]:
    found = [name for name in CLIENTS if name in html]
    found += [part for name in CLIENTS for part in name.split() if re.search(rf"\b{part}\b", html)]
    return found


def test_no_demo_client_is_named_on_any_view_of_the_outcomes(demo, client):
    clinic = Clinic.objects.get(slug="demo")
    profiles = list(ClinicianProfile.objects.filter(clinic=clinic))
    looks = {
        "admin@demo.waypost.test": [{}, {"period": "all"}]
        + [{"clinician": p.pk, "period": "all"} for p in profiles],
        "clinician@demo.waypost.test": [{}, {"period": "12m"}, {"clinician": profiles[0].pk}],
        "clinician2@demo.waypost.test": [{"period": "all"}],
    }
    for email, queries in looks.items():
        client.force_login(User.objects.get(email=email))
        for query in queries:
            response = client.get(f"/clinic/{clinic.slug}/outcomes/", query)
            assert response.status_code == 200
            assert _names_in(response.content.decode()) == [], (email, query)
