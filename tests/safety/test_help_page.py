"""Get help now: crisis lines first, then (for a client) their own safety plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.safety import services

pytestmark = pytest.mark.django_db


def test_the_client_sees_their_plan_under_the_crisis_lines_reasons_first(
    cast, as_user, plan_content
):
    services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.client)
    page = as_user(cast.client).get(reverse("help")).content.decode()
    # crisis lines, then what matters, then the steps
    assert page.index("North crisis line") < page.index("Walking my niece to school")
    assert page.index("Walking my niece to school") < page.index("Staying up past two")
    # people with a number can be called with one tap; people without are still listed
    assert 'href="tel:91234567"' in page and "Jun" in page
    # empty steps are left out in a hard moment
    assert "Nothing written here yet" not in page
    assert reverse("safety:my_plan") in page


def test_without_a_plan_the_client_gets_a_kind_line_and_a_link(cast, as_user):
    page = as_user(cast.client).get(reverse("help")).content.decode()
    assert "You haven't written a safety plan yet" in page
    assert reverse("safety:my_plan_edit") in page


@pytest.mark.parametrize("who", ["clinician", "admin", "ally_all", "anonymous"])
def test_nobody_else_sees_the_clients_plan_on_the_help_page(cast, client, plan_content, who):
    services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.client)
    user = cast.role(who)
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("help")).content.decode()
    assert "Walking my niece" not in page and "Aunt Lina" not in page
    assert "safety plan" not in page.lower()
