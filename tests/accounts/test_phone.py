"""A client adds a phone number to their profile: stored encrypted, checked leniently,
shown to their clinician on the record with a call link, and asked of clients only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.safety.conftest import raw_column
from waypost.accounts.models import User

pytestmark = pytest.mark.django_db


def _save(browser, phone: str):
    return browser.post(reverse("accounts:account"), {"name": "Sam Client", "phone": phone})


@pytest.mark.parametrize(
    "phone", ["+65 9123 4567", "(020) 7946-0958", "  0049 30  1234567 ", "112"]
)
def test_the_client_saves_a_phone_number_as_people_write_them(cast, client, phone):
    # given the client signed in
    client.force_login(cast.client)
    # when they save a number on their account page
    response = _save(client, phone)
    # then it is kept (spaces tidied), and encrypted in the database
    assert response.status_code == 302
    saved = User.objects.get(pk=cast.client.pk).phone
    assert saved == " ".join(phone.split())
    stored = raw_column("accounts_user", "phone", cast.client.pk)
    assert stored.startswith("fernet:") and saved not in stored


@pytest.mark.parametrize("phone", ["call me", "+65 9123 4567 ext. 3", "1" * 31, "+-() "])
def test_anything_but_digits_spaces_plus_minus_and_brackets_is_refused(cast, client, phone):
    client.force_login(cast.client)
    response = _save(client, phone)
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert User.objects.get(pk=cast.client.pk).phone == ""


def test_the_client_may_leave_it_empty(cast, client):
    client.force_login(cast.client)
    assert _save(client, "").status_code == 302


def test_the_clinician_sees_it_on_the_record_with_a_call_link(cast, client):
    # given a client with a phone number
    cast.client.phone = "+65 9123 4567"
    cast.client.save(update_fields=["phone"])
    # when their clinician opens the record
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    # then the number is there, one tap to call
    assert '<a href="tel:+6591234567">+65 9123 4567</a>' in page


def test_staff_are_not_asked_for_a_phone_number(cast, client):
    client.force_login(cast.clinician)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'name="phone"' not in page
    client.force_login(cast.client)
    assert 'name="phone"' in client.get(reverse("accounts:account")).content.decode()
