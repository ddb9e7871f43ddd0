"""The values card sort: three piles, up to five top values with notes, kept as versions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from waypost.core.models import AuditEvent, TimelineEvent
from waypost.motivation import services
from waypost.motivation.models import ValuesCardSort
from waypost.motivation.tools import MotivationContentError
from waypost.motivation.values_cards import CARDS, GROUPS

pytestmark = pytest.mark.django_db

SORT = reverse("motivation:values_sort")
TOP = reverse("motivation:values_top")
NOTES = reverse("motivation:values_notes")
PAGE = reverse("motivation:values")
PILES = {
    "family": "very",
    "honesty": "very",
    "health": "very",
    "fun": "important",
    "adventure": "not",
}


def _sort(cast, piles=None, by=None, at=None):
    return services.save_sort(
        enrollment=cast.enrollment, piles=piles or PILES, by=by or cast.client, at=at
    )


def test_the_card_set_is_about_thirty_cards_each_with_a_line(cast):
    assert 28 <= len(CARDS) <= 40
    assert sum(len(g.cards) for g in GROUPS) == len(CARDS)  # no card in two groups
    for card in CARDS.values():
        assert str(card.name) and str(card.description).endswith(".")


def test_the_sort_page_has_one_radio_group_per_card_in_groups(cast, client):
    client.force_login(cast.client)
    page = client.get(SORT).content.decode()
    assert page.count('type="radio"') == 3 * len(CARDS)
    assert page.count("<fieldset") == len(CARDS)
    for group in GROUPS:
        assert str(group.title) in page
    assert "Very important" in page and "Not important" in page


def test_sorting_then_choosing_then_notes_makes_one_version(cast, client):
    client.force_login(cast.client)
    # when the client sorts some cards
    response = client.post(SORT, {f"card-{k}": v for k, v in PILES.items()})
    assert response.status_code == 302 and response["Location"] == TOP
    # and chooses two top values from the important ones
    top_page = client.get(TOP).content.decode()
    assert "Family" in top_page and "Fun" in top_page and "Adventure" not in top_page
    response = client.post(TOP, {"values": ["honesty", "family"]})
    assert response.status_code == 302 and response["Location"] == NOTES
    # and writes how their use fits one of them
    response = client.post(NOTES, {"note-honesty": "I hid it for years.", "note-family": ""})
    assert response.status_code == 302 and response["Location"] == PAGE
    # then one version holds the piles, the top values in order, and the note
    sort = ValuesCardSort.objects.get(enrollment=cast.enrollment)
    assert sort.version == 1 and not sort.in_session
    assert sort.piles == PILES
    assert sort.top == [
        {"card": "honesty", "note": "I hid it for years."},
        {"card": "family", "note": ""},
    ]
    page = client.get(PAGE).content.decode()
    assert "I hid it for years." in page
    kinds = [
        e.summary
        for e in TimelineEvent.objects.filter(kind__startswith="learn.values").order_by("id")
    ]
    assert kinds == ["Values card sort done", "Top values chosen", "Notes on top values written"]


def test_unsorted_cards_are_left_out_and_an_empty_sort_is_refused(cast, client):
    client.force_login(cast.client)
    response = client.post(SORT, {})
    assert response.status_code == 400
    assert "put at least one card into a pile" in response.content.decode()
    assert not ValuesCardSort.objects.exists()


def test_an_unknown_card_or_pile_is_refused(cast, client):
    with pytest.raises(MotivationContentError):
        _sort(cast, piles={"no-such-card": "very"})
    with pytest.raises(MotivationContentError):
        _sort(cast, piles={"family": "sort-of"})
    client.force_login(cast.client)
    response = client.post(SORT, {"card-family": "sort-of"})
    assert response.status_code == 400
    assert "one of the three piles" in response.content.decode()
    assert not ValuesCardSort.objects.exists()


def test_more_than_five_top_values_gets_a_plain_message_and_nothing_changes(cast, client):
    many = ["family", "honesty", "health", "fun", "love", "calm"]
    _sort(cast, piles=dict.fromkeys(many, "very"))
    client.force_login(cast.client)
    response = client.post(TOP, {"values": many})
    assert response.status_code == 400
    assert "Please choose up to 5 values." in response.content.decode()
    assert ValuesCardSort.objects.get().top == []


def test_a_top_value_must_be_a_card_sorted_as_important(cast, client):
    _sort(cast)
    client.force_login(cast.client)
    for bad in ("adventure", "no-such-card"):
        response = client.post(TOP, {"values": [bad]})
        assert response.status_code == 400
        assert "Top values come from the cards you sorted as important" in response.content.decode()
    with pytest.raises(MotivationContentError):
        services.save_top(enrollment=cast.enrollment, cards=["adventure"], by=cast.client)
    assert client.post(TOP, {}).status_code == 400
    assert ValuesCardSort.objects.get().top == []


def test_notes_only_go_with_top_values(cast):
    _sort(cast)
    services.save_top(enrollment=cast.enrollment, cards=["family"], by=cast.client)
    with pytest.raises(MotivationContentError):
        services.save_top_notes(enrollment=cast.enrollment, notes={"fun": "x"}, by=cast.client)


def test_top_and_notes_need_a_sort_first(cast, client):
    client.force_login(cast.client)
    assert client.get(TOP)["Location"] == SORT
    assert client.get(NOTES)["Location"] == TOP
    with pytest.raises(MotivationContentError):
        services.save_top(enrollment=cast.enrollment, cards=["family"], by=cast.client)


def test_a_later_sort_is_a_new_version_and_keeps_top_values_that_still_fit(cast, client):
    # given a sort with top values and a note, some weeks ago
    then = timezone.now() - timedelta(weeks=3)
    _sort(cast, at=then)
    services.save_top(
        enrollment=cast.enrollment, cards=["family", "honesty"], by=cast.client, at=then
    )
    services.save_top_notes(
        enrollment=cast.enrollment,
        notes={"family": "Hours not with them."},
        by=cast.client,
        at=then,
    )
    # when the client sorts again and honesty is now only "not important"
    _sort(cast, piles={**PILES, "honesty": "not"})
    # then version 2 keeps family (with its note) and drops honesty; version 1 is unchanged
    first, second = ValuesCardSort.objects.order_by("version")
    assert second.version == 2
    assert second.top == [{"card": "family", "note": "Hours not with them."}]
    assert [t["card"] for t in first.top] == ["family", "honesty"]
    client.force_login(cast.client)
    old = client.get(reverse("motivation:values_version", args=[1])).content.decode()
    assert "This is an earlier version" in old and "Honesty" in old


def test_choosing_top_values_later_makes_a_new_version(cast):
    _sort(cast, at=timezone.now() - timedelta(days=2))
    services.save_top(enrollment=cast.enrollment, cards=["family"], by=cast.client)
    first, second = ValuesCardSort.objects.order_by("version")
    assert first.top == [] and second.top == [{"card": "family", "note": ""}]
    assert second.piles == first.piles


def test_the_sort_is_encrypted_at_rest(cast):
    _sort(cast)
    services.save_top(enrollment=cast.enrollment, cards=["honesty"], by=cast.client)
    services.save_top_notes(
        enrollment=cast.enrollment, notes={"honesty": "Secret accounts"}, by=cast.client
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM learn_valuescardsort")
        raw = cursor.fetchone()[0]
    assert raw.startswith("fernet:")
    assert "Secret" not in raw and "honesty" not in raw


def test_the_clinician_sorts_with_the_client_in_session(cast, client):
    client.force_login(cast.clinician)
    base = [cast.enrollment.pk]
    response = client.post(
        reverse("motivation:client_values_sort", args=base),
        {"card-family": "very", "card-fun": "very"},
    )
    assert response["Location"] == reverse("motivation:client_values_top", args=base)
    client.post(reverse("motivation:client_values_top", args=base), {"values": ["fun"]})
    client.post(
        reverse("motivation:client_values_notes", args=base), {"note-fun": "Less of it lately"}
    )
    sort = ValuesCardSort.objects.get()
    assert sort.in_session and sort.saved_by == cast.clinician
    assert sort.top == [{"card": "fun", "note": "Less of it lately"}]
    assert (
        AuditEvent.objects.filter(
            actor=cast.clinician, action="change", what="values card sort"
        ).count()
        == 3
    )
    assert "Values card sort done in session" in {e.summary for e in TimelineEvent.objects.all()}
    client.force_login(cast.client)
    assert "in session on" in client.get(PAGE).content.decode()
