"""Things that once went wrong with measures, kept from coming back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_8, assign, completed, open_form, page, sign_in
from waypost.assessments import fhir, services, tasks
from waypost.assessments.models import Administration, Assignment
from waypost.program.gates import checklist

pytestmark = pytest.mark.django_db


def _upload(browser, cast, content: bytes):
    return browser.post(
        reverse("assessments:import", args=[cast.enrollment.pk]),
        {"file": SimpleUploadedFile("r.json", content, content_type="application/json")},
    )


def _close(form, minutes_ago: int = 1) -> None:
    Administration.objects.filter(pk=form.pk).update(
        closes_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_deeply_nested_json_is_refused_plainly_not_a_server_error(cast, client):
    browser = sign_in(client, cast.clinician)
    browser.raise_request_exception = False
    response = _upload(browser, cast, b"[" * 5000 + b"]" * 5000)
    assert response.status_code == 400
    assert "nested too deeply" in page(response)


def test_a_file_saved_with_a_byte_order_mark_imports(cast, client):
    done = completed(cast, PHQ9_8)
    resource = fhir.questionnaire_response(done)
    Administration.objects.all().delete()  # as if it came from another Waypost
    browser = sign_in(client, cast.clinician)
    response = _upload(browser, cast, b"\xef\xbb\xbf" + json.dumps(resource).encode())
    assert response.status_code == 302
    assert Administration.objects.get().total == 8


def test_importing_the_same_response_twice_keeps_one(cast, client):
    done = completed(cast, PHQ9_8)
    browser = sign_in(client, cast.clinician)
    response = _upload(browser, cast, json.dumps(fhir.questionnaire_response(done)).encode())
    assert response.status_code == 400
    assert Administration.objects.count() == 1


def test_a_form_past_its_closing_time_is_closed_before_the_sweep(cast, client):
    # given a form whose time ran out a minute ago, not yet marked expired
    form = open_form(cast)
    _close(form)
    browser = sign_in(client, cast.client)
    # then neither its start nor its questions open
    assert browser.get(reverse("assessments:start", args=[form.pk]))["Location"] == reverse(
        "assessments:measures"
    )
    assert browser.get(reverse("assessments:question", args=[form.pk, 1])).status_code == 302
    # and the clinician may assign the questionnaire again
    services.assign_measure(enrollment=cast.enrollment, instrument_id="phq-9", by=cast.clinician)


@pytest.mark.parametrize("window_days", [1])
def test_a_form_open_for_less_than_a_day_gets_one_e_mail(cast, mailoutbox, window_days):
    start = timezone.now() - timedelta(hours=1)
    assign(cast, "phq-9", window_days=window_days, at=start)
    tasks.send_reminders(now=start + timedelta(minutes=1))
    tasks.send_reminders(now=start + timedelta(minutes=16))
    assert len(mailoutbox) == 1


def test_a_form_before_a_session_tomorrow_gets_one_e_mail(cast, mailoutbox):
    assign(cast, "phq-9", schedule="session")
    now = timezone.now()
    services.plan_session(
        enrollment=cast.enrollment, starts_at=now + timedelta(hours=20), by=cast.clinician
    )
    tasks.send_reminders(now=now + timedelta(minutes=1))
    tasks.send_reminders(now=now + timedelta(minutes=16))
    assert len(mailoutbox) == 1


def test_no_reminders_once_the_enrollment_has_ended(cast, mailoutbox):
    start = timezone.now() - timedelta(minutes=5)
    assign(cast, "phq-9", at=start)
    type(cast.enrollment).objects.filter(pk=cast.enrollment.pk).update(status="ended")
    tasks.send_reminders(now=start + timedelta(minutes=1))
    assert mailoutbox == []


def test_the_last_call_says_nothing_about_anyone(cast, mailoutbox):
    start = timezone.now() - timedelta(days=2, hours=1)
    assign(cast, "phq-9", window_days=3, at=start)
    tasks.send_reminders(now=start + timedelta(minutes=1))
    tasks.send_reminders(now=start + timedelta(days=2, hours=1))
    assert len(mailoutbox) == 2
    assert "clinician" not in mailoutbox[1].body


def test_the_readiness_date_is_the_clinics_local_date(cast):
    # 20:00 UTC on 10 March is 04:00 on 11 March in Singapore, the clinic's zone
    completed(cast, [7], instrument_id="readiness-ruler", at=datetime(2026, 3, 10, 20, tzinfo=UTC))
    with timezone.override("Asia/Singapore"):
        checks = {c.criterion.key: c for c in checklist(cast.enrollment, stage=1)}
    assert checks["readiness_recorded"].result.detail == "Latest 7 out of 10 on 11 Mar 2026"


def test_an_old_critical_answer_imported_now_is_new_in_the_inbox(cast, client):
    from waypost.safety.models import RiskAlert

    source = completed(cast, [*PHQ9_8[:8], 1], at=timezone.now() - timedelta(days=30))
    resource = fhir.questionnaire_response(source)
    RiskAlert.objects.all().delete()
    Administration.objects.all().delete()
    before = timezone.now()
    _upload(sign_in(client, cast.clinician), cast, json.dumps(resource).encode())
    assert RiskAlert.objects.get().created_at >= before


def test_a_one_off_leaves_the_schedules_once_done_and_a_withdrawn_one_stops_counting(cast):
    # given two one-off questionnaires, one of them then withdrawn undone
    assign(cast, "phq-9")
    gad = assign(cast, "gad-7")
    services.end_assignment(assignment=gad, by=cast.clinician)
    form = cast.enrollment.measure_forms.get(instrument_id="phq-9")
    for item in range(1, 10):
        services.record_answer(form=form, link_id=f"phq9-{item}", value=0, by=cast.client)
    services.submit(form=form, by=cast.client)
    # then the done one is no longer a schedule, and the baseline gate is met
    assert not Assignment.objects.filter(ended_at__isnull=True).exists()
    checks = {c.criterion.key: c for c in checklist(cast.enrollment, stage=1)}
    assert checks["baseline_measures_complete"].result.met


def test_cancelling_a_session_closes_the_form_opened_for_it(cast):
    assign(cast, "phq-9", schedule="session")
    session = services.plan_session(
        enrollment=cast.enrollment,
        starts_at=timezone.now() + timedelta(hours=30),
        by=cast.clinician,
    )
    form = cast.enrollment.measure_forms.get()
    services.cancel_session(session=session, by=cast.clinician)
    form.refresh_from_db()
    assert form.status == Administration.Status.EXPIRED
