"""The pages: the client's list and Today, the clinician's list, record card and caseload
column, and booking, moving and cancelling through the forms."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.appointments.helpers import book
from tests.cast import make_user
from waypost.access.policy import roles_of
from waypost.assessments import services as assessments
from waypost.caseload.appointments import panels
from waypost.caseload.appointments.models import Appointment, Booking

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 Monday 2 March in Singapore


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _signed_in(client, user):
    client.logout()
    client.force_login(user)
    return client


def test_the_client_sees_whats_ahead_in_their_own_zone_and_cancellations(cast, client):
    cast.client.time_zone = "Europe/London"
    cast.client.save(update_fields=["time_zone"])
    booking = book(
        cast, every_weeks=1, count=2, mode=Booking.Mode.ONLINE, online_url="https://v.test/r"
    )
    first, second = booking.appointments.order_by("sequence")
    from waypost.caseload.appointments import services

    services.cancel_appointment(appointment=second, by=cast.clinician, reason="Private reason.")
    page = _signed_in(client, cast.client).get(reverse("appointments:mine"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Mon 9 Mar 2026, 02:00" in text  # 10:00 in Singapore is 02:00 in London
    assert 'href="https://v.test/r"' in text
    assert "cancelled" in text
    assert "Private reason." not in text  # the reason is for the record
    assert "<title>Your appointments" in text


def test_today_shows_the_next_appointment_once_within_its_budget(
    cast, client, django_assert_max_num_queries
):
    book(cast)  # also planned in the assessments app, which Today must not show twice
    browser = _signed_in(client, cast.client)
    browser.get(reverse("program:today"))
    with django_assert_max_num_queries(8):
        page = browser.get(reverse("program:today"))
    text = page.content.decode()
    assert text.count("Appointment with your clinician") == 1
    assert "Your session with" not in text
    assert reverse("appointments:mine") in text


def test_a_session_noted_by_hand_in_the_assessments_app_still_shows_on_today(cast, client):
    assessments.plan_session(
        enrollment=cast.enrollment, starts_at=NOW + timedelta(days=3), by=cast.clinician
    )
    book(cast)
    text = _signed_in(client, cast.client).get(reverse("program:today")).content.decode()
    assert "Your session with Cleo Clinician" in text
    assert "Appointment with your clinician" in text


def test_the_record_card_costs_two_queries_and_shows_next_and_last(cast, client):
    booking = book(cast, every_weeks=1, count=5)
    Appointment.objects.filter(pk=booking.appointments.order_by("sequence")[0].pk).update(
        starts_at=NOW - timedelta(days=7), ends_at=NOW - timedelta(days=7, minutes=-50)
    )
    request = RequestFactory().get("/")
    request.user = cast.clinician
    roles_of(cast.clinician)  # loaded once per request by the page already
    with CaptureQueriesContext(connection) as captured:
        context = panels.record_card(request, cast.enrollment)
    assert len(captured.captured_queries) <= 2
    assert context is not None
    assert len(context["upcoming"]) == 3 and len(context["recent"]) == 1
    page = _signed_in(client, cast.clinician).get(
        reverse("caseload:record", args=[cast.enrollment.pk])
    )
    assert 'id="appointments"' in page.content.decode()


def test_nobody_else_gets_the_record_card(cast):
    book(cast)
    for someone in (cast.other_clinician, cast.admin, cast.client):
        request = RequestFactory().get("/")
        request.user = someone
        assert panels.record_card(request, cast.enrollment) is None


def _more_clients(cast, n: int) -> None:
    from waypost.caseload.appointments import services
    from waypost.program.services import enroll_client

    for i in range(n):
        enrollment = enroll_client(
            client=make_user(f"more-{i}@north.test", f"More {i}"),
            clinician_profile=cast.clinician_profile,
            by=cast.clinician,
        )
        services.book_appointment(
            enrollment=enrollment,
            by=cast.clinician,
            plan=services.Plan(
                first_day=(NOW + timedelta(days=2 + i)).date(),
                start_time=time(9),
                every_weeks=1,
                count=4,
            ),
        )


@pytest.mark.parametrize("more", [0, 6])
def test_the_caseload_column_is_one_query_for_any_number_of_clients(cast, more):
    book(cast, every_weeks=1, count=3)
    _more_clients(cast, more)
    from waypost.program.models import Enrollment

    enrollments = list(Enrollment.objects.filter(primary_clinician=cast.clinician_profile))
    with CaptureQueriesContext(connection) as captured, timezone.override("Asia/Singapore"):
        cells = panels.NEXT_COLUMN.cells(enrollments)
    assert len(captured.captured_queries) == 1
    assert len(cells) == 1 + more
    assert cells[cast.enrollment.pk].text == "Mon 9 Mar, 10:00"  # in the viewer's zone


def test_the_caseload_shows_the_next_appointment(cast, client):
    book(cast)
    page = _signed_in(client, cast.clinician).get(reverse("caseload:list"))
    text = page.content.decode()
    assert "Next appointment" in text
    assert reverse("appointments:for_client", args=[cast.enrollment.pk]) in text


def test_booking_moving_and_cancelling_through_the_forms(cast, client):
    browser = _signed_in(client, cast.clinician)
    url = reverse("appointments:book", args=[cast.enrollment.pk])
    assert browser.get(url).status_code == 200
    response = browser.post(
        url,
        {
            "first_day": "2026-03-10",
            "start_time": "14:00",
            "duration_minutes": "50",
            "mode": "in_person",
            "place": "Room 3",
            "every_weeks": "2",
            "count": "3",
        },
    )
    assert response.status_code == 302
    appointments = list(Appointment.objects.order_by("sequence"))
    assert len(appointments) == 3
    assert appointments[0].starts_at == datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    first = appointments[0]
    response = browser.post(
        reverse("appointments:move", args=[first.pk]),
        {"day": "2026-03-11", "start_time": "09:30", "reason": ""},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.starts_at == datetime(2026, 3, 11, 1, 30, tzinfo=UTC)
    response = browser.post(
        reverse("appointments:cancel", args=[appointments[1].pk]),
        {"reason": "Away.", "scope": "rest"},
    )
    assert response.status_code == 302
    assert list(Appointment.objects.order_by("sequence").values_list("status", flat=True)) == [
        "planned",
        "cancelled",
        "cancelled",
    ]
    listing = browser.get(reverse("appointments:for_client", args=[cast.enrollment.pk]))
    assert "Away." in listing.content.decode()  # the clinician sees the reason


def test_a_form_that_cannot_be_saved_is_shown_again_and_changes_nothing(cast, client):
    browser = _signed_in(client, cast.clinician)
    url = reverse("appointments:book", args=[cast.enrollment.pk])
    response = browser.post(
        url,
        {
            "first_day": "2026-03-01",
            "start_time": "14:00",
            "duration_minutes": "50",
            "mode": "in_person",
        },
    )
    assert response.status_code == 400
    assert "Please choose a time in the future." in response.content.decode()
    response = browser.post(url, {"first_day": "not a day"})
    assert response.status_code == 400
    assert not Appointment.objects.exists()
    appointment = book(cast).appointments.get()
    response = browser.post(reverse("appointments:cancel", args=[appointment.pk]), {"reason": ""})
    assert response.status_code == 400
    appointment.refresh_from_db()
    assert not appointment.is_cancelled


def test_page_titles_say_nothing_about_the_program(cast, client):
    import re

    appointment = book(cast).appointments.get()
    urls = [
        (cast.client, reverse("appointments:mine")),
        (cast.clinician, reverse("appointments:for_client", args=[cast.enrollment.pk])),
        (cast.clinician, reverse("appointments:book", args=[cast.enrollment.pk])),
        (cast.clinician, reverse("appointments:move", args=[appointment.pk])),
        (cast.clinician, reverse("appointments:cancel", args=[appointment.pk])),
    ]
    for user, url in urls:
        text = _signed_in(client, user).get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        assert not re.search(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse", title, re.I)
    assert timezone.now() == NOW
