"""The client's Me page leads to their messages; nobody else's Me page does."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_clients_me_page_leads_to_their_messages(cast, client):
    client.force_login(cast.client)
    page = client.get(reverse("accounts:account")).content.decode()
    assert f'href="{reverse("messaging:mine")}"' in page


@pytest.mark.parametrize("role", ["clinician", "admin", "ally_all"])
def test_others_account_pages_do_not(cast, client, role):
    client.force_login(cast.role(role))
    page = client.get(reverse("accounts:account")).content.decode()
    assert f'href="{reverse("messaging:mine")}"' not in page
