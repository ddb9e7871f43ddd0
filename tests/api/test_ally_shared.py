"""GET /api/v1/ally/links/ and /api/v1/ally/links/{id}/shared: what allies may read.

From the signed-in browser only; the same consent as the pages, scope by scope, on
every request.
"""

from __future__ import annotations

import pytest
import time_machine

from tests.connect.helpers import NOW, stage_two_history
from waypost.connect import scopes
from waypost.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

LINKS = "/api/v1/ally/links/"


def shared(link) -> str:
    return f"/api/v1/ally/links/{link.pk}/shared"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def test_an_ally_lists_the_people_they_support_with_what_each_shares(cast, browser):
    response = browser(cast.allies["journey"]).get(LINKS)
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": cast.links["journey"].pk,
            "client": {"name": "Sam Client"},
            "relationship": "",
            "since": cast.links["journey"].created_at.isoformat().replace("+00:00", "Z"),
            "scopes": [{"key": "journey", "label": "Journey"}],
        }
    ]


def test_the_list_gives_labels_only_never_the_data(cast, browser):
    body = browser(cast.ally_all).get(LINKS).json()
    assert [s["key"] for s in body[0]["scopes"]] == [s.key for s in scopes.all_scopes()]
    assert "data" not in body[0]["scopes"][0]
    assert "Cleo Clinician" not in str(body)


def test_an_ally_whose_sharing_ended_gets_an_empty_list(cast, browser):
    assert browser(cast.ally_ended).get(LINKS).json() == []


@pytest.mark.parametrize("role", ["client", "clinician", "admin"])
def test_people_who_were_never_allies_are_refused_the_list(cast, browser, role):
    response = browser(getattr(cast, role)).get(LINKS)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_the_shared_data_has_one_entry_per_consented_scope(cast, browser):
    stage_two_history(cast)
    body = browser(cast.ally_all).get(shared(cast.links["all"])).json()
    assert body["link"] == cast.links["all"].pk and body["client"] == {"name": "Sam Client"}
    by_key = {s["key"]: s for s in body["scopes"]}
    assert list(by_key) == [s.key for s in scopes.all_scopes()]
    assert by_key["journey"]["data"]["stage"] == 2
    assert by_key["journey"]["data"]["stage_label"] == "Abstinence"
    assert by_key["care_team"]["data"]["clinician_name"] == "Cleo Clinician"
    assert by_key["care_team"]["data"]["crisis_lines"][0]["phone"] == "1767"
    assert by_key["streak"]["data"]["total_days"] == 20
    assert by_key["checkins"]["data"]["days_checked_in"] == 3
    assert by_key["lapses"]["data"] == {"window_days": 30, "dates": ["2030-03-13"]}


def test_an_ally_with_one_scope_gets_that_one_only(cast, browser):
    body = browser(cast.allies["streak"]).get(shared(cast.links["streak"])).json()
    assert [s["key"] for s in body["scopes"]] == ["streak"]
    assert body["scopes"][0]["label"] == "Streak and milestones"


def test_an_ally_with_nothing_shared_gets_an_empty_list_of_scopes(cast, browser):
    body = browser(cast.ally_none).get(shared(cast.links["none"])).json()
    assert body["scopes"] == []


def test_a_withdrawn_scope_is_absent_from_the_very_next_response(cast, browser):
    from waypost.connect.services import set_consent

    link = cast.links["all"]
    ally = browser(cast.ally_all)
    assert "lapses" in [s["key"] for s in ally.get(shared(link)).json()["scopes"]]
    keep = [s.key for s in scopes.all_scopes() if s.key != "lapses"]
    set_consent(link=link, scopes=keep, by=cast.client)
    assert [s["key"] for s in ally.get(shared(link)).json()["scopes"]] == keep


def test_each_scope_read_is_audited(cast, browser):
    browser(cast.allies["care_team"]).get(shared(cast.links["care_team"]))
    rows = AuditEvent.objects.filter(actor=cast.allies["care_team"], client=cast.client)
    assert [(e.action, e.what) for e in rows] == [("view", "shared: care_team")]


@pytest.mark.parametrize(
    ("role", "link"),
    [
        ("client", "all"),
        ("clinician", "all"),
        ("admin", "all"),
        ("ally_none", "all"),  # another ally's link to the same client
        ("ally_ended", "ended"),  # their own link, ended
        ("ally_all", "ended"),
    ],
)
def test_anyone_else_gets_404_like_the_page_and_the_attempt_is_audited(cast, browser, role, link):
    user = getattr(cast, role)
    response = browser(user).get(shared(cast.links[link]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    # (the client's own attempts are not in the trail: it is about other people's access)
    refused = AuditEvent.objects.filter(actor=user, action="refused", what="shared with an ally")
    assert refused.exists() == (role != "client")
    assert not AuditEvent.objects.filter(actor=user, action="view").exists()


def test_a_link_that_does_not_exist_is_404(cast, browser):
    assert browser(cast.ally_all).get("/api/v1/ally/links/999999/shared").status_code == 404


def test_anonymous_callers_get_401(client, cast):
    assert client.get(LINKS).status_code == 401
    assert client.get(shared(cast.links["all"])).status_code == 401


def test_tokens_do_not_open_the_ally_api(cast, client, bearer):
    # an ally's token (made before tokens were for staff only) is refused outright
    response = client.get(LINKS, headers=bearer(cast.ally_all))
    assert response.status_code in (401, 403)
    # and a clinician who is also an ally must use the browser too: tokens are not accepted
    from waypost.connect.services import link_ally

    link_ally(
        enrollment=cast.enrollment, ally=cast.other_clinician, scopes=["journey"], by=cast.client
    )
    response = client.get(LINKS, headers=bearer(cast.other_clinician))
    assert response.status_code == 401


def test_the_operations_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/ally/links/" in paths
    assert "/api/v1/ally/links/{link_id}/shared" in paths
