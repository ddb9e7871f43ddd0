"""Allies never see messages, whatever the client shares with them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.messaging.helpers import send

pytestmark = pytest.mark.django_db


def test_no_ally_sees_a_message_anywhere_they_can_go(client, cast):
    send(cast, cast.client, "Secret words for my clinician only")
    for ally in (cast.ally_all, cast.ally_none, cast.ally_ended, *cast.allies.values()):
        sign_in(client, ally)
        assert client.get(reverse("messaging:mine")).status_code in (403, 404)
        thread = client.get(reverse("messaging:thread", args=[cast.enrollment.pk]))
        assert thread.status_code in (403, 404)
        pages = [reverse("connect:ally_home")]
        if ally == cast.ally_all:
            pages.append(reverse("connect:ally_shared", args=[cast.links["all"].pk]))
        for url in pages:
            assert "Secret words" not in client.get(url).content.decode()
