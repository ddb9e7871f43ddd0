"""Journey lists the client's own work, gathered from every app, stage by stage."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.helpers import sign_in
from waypost.core import nav

pytestmark = pytest.mark.django_db

STAGE_ONE = {
    "assessments:measures",
    "intake:overview",
    "intake:story",
    "learn:library",
    "motivation:overview",
    "safety:my_plan",
    "recovery:toolbox",
}
STAGE_TWO = {
    "recovery:plan",
    "recovery:prevention",
    "recovery:lapses",
    "recovery:urge_patterns",
    "recovery:device_plan",
}


def _links(page: str) -> set[str]:
    return {name for name in STAGE_ONE | STAGE_TWO if f'href="{reverse(name)}"' in page}


def test_a_stage_one_client_sees_the_first_stages_work_only(cast, client):
    cast.enrollment.stage = 1
    cast.enrollment.save(update_fields=["stage"])
    page = sign_in(client, cast.client).get(reverse("program:journey")).content.decode()
    assert _links(page) == STAGE_ONE


def test_from_stage_two_the_plans_and_the_logs_join_them(cast, client):
    page = sign_in(client, cast.client).get(reverse("program:journey")).content.decode()
    assert _links(page) == STAGE_ONE | STAGE_TWO


def test_links_keep_their_order_whatever_the_order_apps_registered_them():
    names = [link.url_name for link in nav.journey_links(4)]
    orders = [link.order for link in nav.journey_links(4)]
    assert orders == sorted(orders)
    assert names.index("assessments:measures") < names.index("recovery:plan")
