"""The demo clinic's outcomes: real numbers from the demo's own histories, and no client named."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from waypost.accounts.models import User
from waypost.caseload.outcomes import alerts, checkins, measures, report, stages
from waypost.caseload.outcomes.scope import Scope, clinic_zone, preset_period
from waypost.clinics.models import Clinic, ClinicianProfile

pytestmark = pytest.mark.django_db

CLIENTS = ("Daniel Lim", "Wei Jie Goh", "Farid Rahman", "Marcus Teo")


def test_the_demo_clinics_histories_give_every_figure_something_to_count(demo):
    clinic = Clinic.objects.get(slug="demo")
    now = timezone.now()
    scope = Scope(
        clinic, None, preset_period("90d", now.astimezone(clinic_zone(clinic)).date()), now
    )
    enrollments = stages.enrollments_counted(scope)
    stays = stages.all_stays(scope, enrollments)
    assert [c.clients for c in stages.stages_now(enrollments)] == [1, 1, 1, 1]
    assert any(t.ended for t in stages.time_in_stage(scope, stays))  # stays that ended
    assert measures.measure_changes(scope)
    assert measures.completion(scope)[1].completed >= 20
    adherence = checkins.adherence(scope, enrollments, stays)[1].percent
    assert adherence is not None and 50 <= adherence <= 100
    assert alerts.alert_figures(scope).raised > 0


def test_the_demo_clinic_has_four_clients_so_only_its_stages_are_shown(demo, client):
    clinic = Clinic.objects.get(slug="demo")
    now = timezone.now()
    scope = Scope(
        clinic, None, preset_period("90d", now.astimezone(clinic_zone(clinic)).date()), now
    )
    built = report.build(scope)
    assert built.held_back
    figures = {figure.key: figure for figure in built.figures}
    assert [row.cells[0].text for row in figures["stages"].rows] == ["1", "1", "1", "1"]
    held = [key for key, figure in figures.items() if figure.held_back]
    assert held == ["time", "change", "completion", "adherence", "alerts"]
    assert all(not figures[key].rows and not figures[key].facts for key in held)
    client.force_login(User.objects.get(email="admin@demo.waypost.test"))
    html = client.get(f"/clinic/{clinic.slug}/outcomes/").content.decode()
    assert "Fewer than 5 clients are counted here" in html
    assert "<dt>Raised</dt>" not in html


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
