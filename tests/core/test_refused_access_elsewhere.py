"""Refused attempts at a client's data reached by another id than the record's are audited too.

A risk alert (the clinician's acknowledge page), an ally's page of what a client
shares and the admin's change-of-clinician page each refuse everyone else with a
404 (or a 403) and leave one ``was refused`` row in the client's clinic's trail;
an id that does not exist leaves a line in the security log instead.
"""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from waypost.core.models import AuditEvent
from waypost.safety.services import raise_alert

pytestmark = pytest.mark.django_db


def _new_rows(before: list[int]) -> list[tuple]:
    return [
        (e.actor, e.client, e.clinic, e.action, e.what, e.path)
        for e in AuditEvent.objects.exclude(pk__in=before)
    ]


def _before() -> list[int]:
    return list(AuditEvent.objects.values_list("pk", flat=True))


def _alert_url(cast) -> str:
    alert = raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="Item 9 answered 'Several days'",
        source_label="PHQ-9",
        notify=False,
    )
    return reverse("safety:acknowledge", args=[alert.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_clinician", 404), ("foreign_clinician", 404), ("admin", 403), ("ally_all", 403)],
)
def test_someone_elses_risk_alert_is_refused_and_audited(client, cast, role, status):
    # given an alert for the cast's client, and someone who is not their clinician
    url = _alert_url(cast)
    user = cast.role(role)
    client.force_login(user)
    before = _before()
    # when they open it
    response = client.get(url)
    # then
    assert response.status_code == status
    assert _new_rows(before) == [(user, cast.client, cast.clinic, "refused", "risk alert", url)]


def test_the_clinician_opens_their_clients_alert_without_a_refused_row(client, cast):
    url = _alert_url(cast)
    client.force_login(cast.clinician)
    assert client.get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="refused").exists()


def test_an_alert_that_does_not_exist_is_logged(client, cast, caplog):
    client.force_login(cast.other_clinician)
    with caplog.at_level(logging.WARNING, logger="waypost.security"):
        response = client.get(reverse("safety:acknowledge", args=[987654]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="refused").exists()
    [line] = [r.getMessage() for r in caplog.records if r.name == "waypost.security"]
    assert "risk alert 987654 (no such id)" in line


@pytest.mark.parametrize(
    "role", ["ally_none", "ally_ended", "other_clinician", "admin", "foreign_client"]
)
def test_another_allys_page_is_refused_and_audited(client, cast, role):
    # given the page the client shares with the ally who sees everything
    url = reverse("connect:ally_shared", args=[cast.links["all"].pk])
    user = cast.role(role)
    client.force_login(user)
    before = _before()
    # when someone else opens it
    response = client.get(url)
    # then
    assert response.status_code == 404
    assert _new_rows(before) == [
        (user, cast.client, cast.clinic, "refused", "shared with an ally", url)
    ]


def test_a_link_that_does_not_exist_is_logged(client, cast, caplog):
    client.force_login(cast.ally_none)
    with caplog.at_level(logging.WARNING, logger="waypost.security"):
        response = client.get(reverse("connect:ally_shared", args=[987654]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="refused").exists()
    [line] = [r.getMessage() for r in caplog.records if r.name == "waypost.security"]
    assert "shared with an ally 987654 (no such id)" in line


def test_an_admin_reaching_for_another_clinics_client_is_refused_and_audited(
    client, cast, south_admin
):
    # given south's admin, on their own clinic's page, with north's client's id
    url = reverse(
        "clinics:reassign",
        kwargs={"slug": cast.other_clinic.slug, "enrollment_id": cast.enrollment.pk},
    )
    client.force_login(south_admin)
    before = _before()
    # when they open the change-of-clinician page
    response = client.get(url)
    # then a 404, and north's trail says who tried
    assert response.status_code == 404
    assert _new_rows(before) == [
        (south_admin, cast.client, cast.clinic, "refused", "primary clinician", url)
    ]


@pytest.fixture
def south_admin(cast):
    from tests.cast import make_user
    from waypost.clinics.models import ClinicAdmin

    user = make_user("admin@south.test", "Sol South")
    ClinicAdmin.objects.create(user=user, clinic=cast.other_clinic)
    return user
