"""Get help now, for someone who is not signed in: the clinic they came from, or all."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_visitor_from_a_clinics_page_sees_that_clinics_lines(cast, client):
    # given a visitor on the north clinic's public page
    public = client.get(reverse("clinics:clinic", args=[cast.clinic.slug])).content.decode()
    assert f'href="/help/?clinic={cast.clinic.slug}"' in public
    # when they tap Get help now
    page = client.get(reverse("help"), {"clinic": cast.clinic.slug}).content.decode()
    # then they see that clinic's crisis lines, not another clinic's
    assert "North crisis line" in page
    assert "South crisis line" not in page


def test_without_a_known_clinic_a_visitor_sees_every_clinics_lines(cast, client):
    for query in ({}, {"clinic": "no-such-clinic"}, {"clinic": "x" * 500}):
        page = client.get(reverse("help"), query).content.decode()
        assert "North crisis line" in page and "South crisis line" in page
