"""Only the client and their primary clinician use the motivation tools; allies see nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from waypost.core.models import AuditEvent
from waypost.motivation import services
from waypost.motivation.models import (
    DecisionalBalance,
    MotivationRequest,
    StageOfChangeEntry,
    ValuesCardSort,
)

pytestmark = pytest.mark.django_db

WRITES = [
    ("motivation:client_readiness", {"readiness": "5"}),
    ("motivation:client_balance_edit", {"now_good-0-text": "Relief"}),
    ("motivation:client_values_sort", {"card-family": "very"}),
    ("motivation:client_stage", {"view": "client", "stage": "action"}),
    ("motivation:client_ask", {"tool": "values"}),
]


def _nothing_saved(cast):
    assert not DecisionalBalance.objects.exists()
    assert not ValuesCardSort.objects.exists()
    assert not StageOfChangeEntry.objects.exists()
    assert not MotivationRequest.objects.exists()
    assert not cast.enrollment.measure_forms.exists()


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "admin", "ally_all"])
def test_no_one_else_reads_or_writes_a_clients_tools(cast, client, who):
    client.force_login(cast.role(who))
    page = reverse("motivation:client_overview", args=[cast.enrollment.pk])
    assert client.get(page).status_code == 404
    for name, data in WRITES:
        response = client.post(reverse(name, args=[cast.enrollment.pk]), data)
        assert response.status_code == 404, name
    _nothing_saved(cast)
    # nothing seen or changed: the trail holds only the six refused attempts
    actions = AuditEvent.objects.filter(actor=cast.role(who)).values_list("action", flat=True)
    assert list(actions) == ["refused"] * (1 + len(WRITES))


@pytest.mark.parametrize("who", ["clinician", "other_clinician", "admin", "ally_all", "ally_none"])
def test_the_client_pages_are_the_clients_alone(cast, client, who):
    client.force_login(cast.role(who))
    for name in (
        "motivation:overview",
        "motivation:readiness",
        "motivation:balance",
        "motivation:stage",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.post(reverse("motivation:stage"), {"stage": "action"}).status_code == 403
    _nothing_saved(cast)


def test_a_client_cannot_open_the_clinician_pages(cast, client):
    client.force_login(cast.client)
    url = reverse("motivation:client_overview", args=[cast.enrollment.pk])
    assert client.get(url).status_code == 404


def test_a_foreign_clinician_cannot_reach_their_own_client_through_another_id(cast, client):
    # the foreign clinician's own client works; the north client does not
    client.force_login(cast.foreign_clinician)
    own = reverse("motivation:client_overview", args=[cast.foreign_enrollment.pk])
    assert client.get(own).status_code == 200
    assert (
        client.get(reverse("motivation:client_balance", args=[cast.enrollment.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "ally_all", "admin"])
def test_the_services_refuse_anyone_but_the_client_and_their_clinician(cast, who):
    user = cast.role(who)
    with pytest.raises(PermissionDenied):
        services.save_balance(enrollment=cast.enrollment, content={"now_good": ["x"]}, by=user)
    with pytest.raises(PermissionDenied):
        services.record_readiness(enrollment=cast.enrollment, value=5, by=user)
    with pytest.raises(PermissionDenied):
        services.save_sort(enrollment=cast.enrollment, piles={"family": "very"}, by=user)
    with pytest.raises(PermissionDenied):
        services.record_stage(enrollment=cast.enrollment, stage="action", by=user)
    with pytest.raises(PermissionDenied):
        services.ask_client(enrollment=cast.enrollment, tool="balance", by=user)
    _nothing_saved(cast)


def test_the_clinicians_look_is_audited_and_the_clients_own_is_not(cast, client):
    services.save_balance(enrollment=cast.enrollment, content={"now_good": ["x"]}, by=cast.client)
    before = AuditEvent.objects.count()
    client.force_login(cast.client)
    for name in (
        "motivation:overview",
        "motivation:balance",
        "motivation:values",
        "motivation:stage",
    ):
        client.get(reverse(name))
    assert AuditEvent.objects.count() == before
    client.force_login(cast.clinician)
    args = [cast.enrollment.pk]
    for name in ("client_overview", "client_balance", "client_values", "client_stage"):
        assert client.get(reverse(f"motivation:{name}", args=args)).status_code == 200
    seen = set(
        AuditEvent.objects.filter(actor=cast.clinician, action="view").values_list(
            "what", flat=True
        )
    )
    assert seen == {"motivation tools", "decisional balance", "values card sort", "stage of change"}


def test_the_overview_gives_the_clinician_do_it_together_entry_points(cast, client):
    client.force_login(cast.clinician)
    page = client.get(
        reverse("motivation:client_overview", args=[cast.enrollment.pk])
    ).content.decode()
    assert page.count("Do it together now") == 4
    for name in ("client_readiness", "client_balance_edit", "client_values_sort", "client_stage"):
        assert reverse(f"motivation:{name}", args=[cast.enrollment.pk]) in page
    assert page.count("Ask Sam Client to do it") == 4


def test_the_clinician_asks_and_the_request_closes_when_the_client_does_it(cast, client):
    client.force_login(cast.clinician)
    ask = reverse("motivation:client_ask", args=[cast.enrollment.pk])
    client.post(ask, {"tool": "balance"})
    client.post(ask, {"tool": "balance"})  # asking twice keeps one request
    request = MotivationRequest.objects.get()
    assert request.closed_at is None
    assert AuditEvent.objects.filter(what="motivation request").count() == 1
    # when the client saves their balance
    services.save_balance(enrollment=cast.enrollment, content={"now_good": ["x"]}, by=cast.client)
    # then the request is done
    request.refresh_from_db()
    assert request.closed_at is not None and request.outcome == "done"


def test_the_clinician_can_take_a_request_back(cast, client):
    client.force_login(cast.clinician)
    ask = reverse("motivation:client_ask", args=[cast.enrollment.pk])
    client.post(ask, {"tool": "stage"})
    page = client.get(
        reverse("motivation:client_overview", args=[cast.enrollment.pk])
    ).content.decode()
    assert "Take the request back" in page
    client.post(ask, {"tool": "stage", "withdraw": "on"})
    assert MotivationRequest.objects.get().outcome == "withdrawn"
    response = client.post(ask, {"tool": "nonsense"})
    assert response.status_code == 302
    assert MotivationRequest.objects.count() == 1


def test_allies_see_nothing_of_the_tools(cast, client):
    services.save_balance(
        enrollment=cast.enrollment, content={"now_costs": ["Hidden from allies"]}, by=cast.client
    )
    client.force_login(cast.ally_all)
    page = client.get(reverse("connect:ally_home")).content.decode()
    assert "Hidden from allies" not in page
    assert "/motivation/" not in page
