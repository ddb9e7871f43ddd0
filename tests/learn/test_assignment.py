"""The clinician assigns reading from the client record; the client sees it first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypost.core.models import AuditEvent, TimelineEvent
from waypost.learn.content import library
from waypost.learn.models import ReadingAssignment
from waypost.learn.services import ReadingError, assign_module

pytestmark = pytest.mark.django_db


def _assign(client, cast, module="shame-and-secrecy", due_on=""):
    return client.post(
        reverse("learn:assign", args=[cast.enrollment.pk]), {"module": module, "due_on": due_on}
    )


def _record(client, cast) -> str:
    return client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()


def test_the_record_has_a_reading_card_with_a_form(cast, client):
    client.force_login(cast.clinician)
    page = _record(client, cast)
    assert "Reading</h2>" in page
    assert "No reading assigned." in page
    assert "Core modules: 0 of 5 read" in page
    assert f'action="{reverse("learn:assign", args=[cast.enrollment.pk])}"' in page
    assert "Stage 1 · The 5 Cs: when a habit stops being a choice (core)" in page


def test_assigning_a_module_is_saved_audited_and_on_the_timeline(cast, client):
    # Given the client's clinician
    client.force_login(cast.clinician)
    due = timezone.localdate() + timedelta(days=5)
    # When they assign a module with a date
    response = _assign(client, cast, due_on=due.isoformat())
    # Then it is saved, audited and on the client's timeline
    assert response.status_code == 302
    assert response["Location"] == reverse("caseload:record", args=[cast.enrollment.pk])
    assignment = ReadingAssignment.objects.get(enrollment=cast.enrollment)
    assert (assignment.module_slug, assignment.due_on) == ("shame-and-secrecy", due)
    assert assignment.assigned_by == cast.clinician
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client_id=cast.client.pk, what="reading assigned"
    ).exists()
    event = TimelineEvent.objects.get(kind="learn.module_assigned")
    assert "Shame, guilt and secrecy" in event.summary
    # and the record lists it with its status, and no longer offers it in the form
    page = client.get(response["Location"]).content.decode()
    assert "assigned. Sam Client will see it on their Today page." in page
    assert "Not started" in page
    assert "Stage 1 · Shame, guilt and secrecy (core)" not in page


def test_the_client_sees_assigned_reading_on_today_and_first_in_the_library(cast, client):
    due = timezone.localdate() + timedelta(days=3)
    books = library()
    assign_module(
        enrollment=cast.enrollment,
        module=books.get("a-life-worth-staying-for"),
        by=cast.clinician,
        due_on=due,
    )
    client.force_login(cast.client)
    today = client.get(reverse("program:today")).content.decode()
    assert 'data-step="learn.a-life-worth-staying-for"' in today
    assert "Building a life you don" in today
    assert "read by" in today
    # then one of the core readings, as a gentler suggestion
    first_core = today.index(f'data-step="learn.{books.core[0].slug}"')
    assert today.index('data-step="learn.a-life-worth-staying-for"') < first_core
    library_page = client.get(reverse("learn:library")).content.decode()
    assert "Assigned to you" in library_page
    assigned = library_page.index("Assigned to you")
    assert assigned < library_page.index("Building a life you don") < library_page.index("The 5 Cs")
    assert f"Read by {due.day} {due.strftime('%b')}" in library_page


def test_today_lists_each_assigned_reading_and_one_core_reading(cast, client):
    books = library()
    slugs = (
        "triggers-and-the-chain",
        "early-abstinence",
        "sleep-stress-and-the-body",
        "talking-to-a-partner",
    )
    for slug in slugs:
        assign_module(enrollment=cast.enrollment, module=books.get(slug), by=cast.clinician)
    client.force_login(cast.client)
    today = client.get(reverse("program:today")).content.decode()
    # every assigned reading is a next step (Today folds the list after the first few)
    for slug in slugs:
        assert f'data-step="learn.{slug}"' in today
    # and one core reading besides, not all of them
    assert today.count('data-step="learn.') == len(slugs) + 1


def test_assigned_reading_that_is_read_shows_as_read_for_the_clinician(cast, client):
    assign_module(enrollment=cast.enrollment, module=library().get("five-cs"), by=cast.clinician)
    client.force_login(cast.client)
    client.post(reverse("learn:mark_read", args=["five-cs"]))
    client.force_login(cast.clinician)
    page = _record(client, cast)
    card = page[page.index("Reading</h2>") :]
    assert "✓ </span>Read" in card
    assert "Core modules: 1 of 5 read" in card


def test_a_past_date_is_refused_with_a_plain_message(cast, client):
    client.force_login(cast.clinician)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = _assign(client, cast, due_on=yesterday.isoformat())
    assert response.status_code == 400
    assert "Please choose today or a later date." in response.content.decode()
    assert not ReadingAssignment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"module": "no-such-module", "due_on": ""}, "Please choose a module from the list."),
        ({"module": "", "due_on": ""}, "Please choose a module."),
        ({"module": "five-cs", "due_on": "next week"}, "Please enter a date"),
    ],
)
def test_bad_assignments_are_explained_and_change_nothing(cast, client, data, message):
    client.force_login(cast.clinician)
    response = client.post(reverse("learn:assign", args=[cast.enrollment.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReadingAssignment.objects.exists()


def test_a_module_cannot_be_assigned_twice(cast, client):
    client.force_login(cast.clinician)
    _assign(client, cast)
    response = _assign(client, cast)
    assert response.status_code == 400
    assert ReadingAssignment.objects.count() == 1
    with pytest.raises(ReadingError):
        assign_module(
            enrollment=cast.enrollment,
            module=library().get("shame-and-secrecy"),
            by=cast.clinician,
        )


def test_withdrawing_takes_it_off_the_clients_list(cast, client):
    # Given an assigned module
    assignment = assign_module(
        enrollment=cast.enrollment, module=library().get("five-cs"), by=cast.clinician
    )
    client.force_login(cast.clinician)
    url = reverse("learn:withdraw", args=[cast.enrollment.pk, assignment.pk])
    # When the clinician withdraws it
    response = client.post(url)
    # Then it is withdrawn, audited, on the timeline, and gone from the client's library
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.withdrawn_at is not None and assignment.withdrawn_by == cast.clinician
    assert AuditEvent.objects.filter(what="reading withdrawn").exists()
    assert TimelineEvent.objects.filter(kind="learn.module_withdrawn").exists()
    client.force_login(cast.client)
    assert "Assigned to you" not in client.get(reverse("learn:library")).content.decode()
    # and it may be assigned again later
    client.force_login(cast.clinician)
    assert _assign(client, cast, module="five-cs").status_code == 302


def test_withdrawing_twice_is_harmless(cast, client):
    assignment = assign_module(
        enrollment=cast.enrollment, module=library().get("five-cs"), by=cast.clinician
    )
    client.force_login(cast.clinician)
    url = reverse("learn:withdraw", args=[cast.enrollment.pk, assignment.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "already been withdrawn" in response.content.decode()
    assert TimelineEvent.objects.filter(kind="learn.module_withdrawn").count() == 1


def test_another_clients_assignment_cannot_be_withdrawn_through_this_record(cast, client):
    other = assign_module(
        enrollment=cast.foreign_enrollment,
        module=library().get("five-cs"),
        by=cast.foreign_clinician,
    )
    client.force_login(cast.clinician)
    url = reverse("learn:withdraw", args=[cast.enrollment.pk, other.pk])
    assert client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_at is None


def test_other_clinicians_cannot_assign_or_see_the_reading_card(cast, client):
    client.force_login(cast.other_clinician)
    assert _assign(client, cast).status_code == 404
    assert not ReadingAssignment.objects.exists()
