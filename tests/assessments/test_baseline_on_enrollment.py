"""A new client finds the clinic's baseline questionnaires waiting (program.enrollment_hooks).

The cast's clinics chose no baseline (tests/cast.py), so each test here says what the
clinic chose, or removes the choice to get the default.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.helpers import page, sign_in
from tests.cast import make_user
from waypost.accounts.services import accept_invitation, create_invitation
from waypost.assessments import selectors, services
from waypost.assessments.gates import baseline_measures_complete
from waypost.assessments.models import Administration, Assignment, ClinicMeasureSettings
from waypost.program.models import Enrollment
from waypost.program.services import enroll_client

pytestmark = pytest.mark.django_db

DEFAULT = ["phq-9", "gad-7", "who-5", "audit-c"]


def _choose(clinic, ids: list[str] | None) -> None:
    """The clinic's choice; None removes it, so the default applies."""
    ClinicMeasureSettings.objects.filter(clinic=clinic).delete()
    if ids is not None:
        ClinicMeasureSettings.objects.create(clinic=clinic, baseline_instruments=ids)


def _join(cast, email: str = "new@north.test") -> Enrollment:
    return enroll_client(
        client=make_user(email, "New Client"),
        clinician_profile=cast.clinician_profile,
        by=cast.clinician,
    )


def _assigned(enrollment: Enrollment) -> list[str]:
    return sorted(
        Assignment.objects.filter(enrollment=enrollment).values_list("instrument_id", flat=True)
    )


def test_a_clinic_that_chose_nothing_gives_the_default_four(cast):
    # given a clinic that never opened its Measures page
    _choose(cast.clinic, None)
    # when a client joins
    enrollment = _join(cast)
    # then PHQ-9, GAD-7, WHO-5 and AUDIT-C wait for them, once each, open now for two weeks
    assert _assigned(enrollment) == sorted(DEFAULT)
    assignments = Assignment.objects.filter(enrollment=enrollment)
    assert {a.schedule for a in assignments} == {Assignment.Schedule.ONCE}
    assert {a.window_days for a in assignments} == {services.BASELINE_WINDOW_DAYS}
    waiting = selectors.waiting_forms(enrollment)
    assert sorted(f.instrument_id for f in waiting) == sorted(DEFAULT)
    # and the stage checklist counts them instead of "No questionnaires assigned yet"
    result = baseline_measures_complete(enrollment, {})
    assert str(result.detail) == "0 of 4 questionnaires done"


def test_the_clinics_own_choice_is_what_a_new_client_gets(cast):
    # given the clinic chose WHO-5 and the readiness ruler
    _choose(cast.clinic, ["who-5", "readiness-ruler"])
    # when a client joins
    enrollment = _join(cast)
    # then exactly those are assigned
    assert _assigned(enrollment) == ["readiness-ruler", "who-5"]


def test_no_choice_at_all_assigns_nothing(cast):
    # given the clinic unticked every questionnaire
    _choose(cast.clinic, [])
    # when a client joins
    enrollment = _join(cast)
    # then nothing is assigned, and the clinician chooses
    assert _assigned(enrollment) == []
    assert str(baseline_measures_complete(enrollment, {}).detail) == (
        "No questionnaires assigned yet"
    )


def test_a_questionnaire_already_assigned_is_not_given_twice(cast):
    # given a client who joined with the default baseline
    _choose(cast.clinic, None)
    enrollment = _join(cast)
    # when the baseline is given again (and the clinic has since added PHQ-2)
    _choose(cast.clinic, [*DEFAULT, "phq-2"])
    added = services.assign_baseline(enrollment=enrollment, by=cast.clinician)
    # then only the new one is added: one assignment and one open form per questionnaire
    assert added == ["phq-2"]
    assert _assigned(enrollment) == sorted([*DEFAULT, "phq-2"])
    forms = Administration.objects.filter(enrollment=enrollment)
    assert sorted(forms.values_list("instrument_id", flat=True)) == sorted([*DEFAULT, "phq-2"])


def test_one_the_clinician_assigned_or_withdrew_is_left_alone(cast):
    # given the cast's client: PHQ-9 assigned by their clinician, GAD-7 assigned and withdrawn
    services.assign_measure(enrollment=cast.enrollment, instrument_id="phq-9", by=cast.clinician)
    gad = services.assign_measure(
        enrollment=cast.enrollment, instrument_id="gad-7", by=cast.clinician
    )
    services.end_assignment(assignment=gad, by=cast.clinician)
    # when the default baseline is given
    _choose(cast.clinic, None)
    added = services.assign_baseline(enrollment=cast.enrollment, by=cast.clinician)
    # then only the two they did not have are added
    assert added == ["who-5", "audit-c"]
    assert Assignment.objects.filter(enrollment=cast.enrollment, instrument_id="phq-9").count() == 1


def test_an_id_no_longer_in_the_catalogue_is_skipped(cast):
    _choose(cast.clinic, ["who-5", "gone-questionnaire"])
    assert _assigned(_join(cast)) == ["who-5"]


def test_a_client_who_accepts_an_invitation_finds_them_on_today(cast, client):
    # given a clinic with the default baseline, and an invitation from the clinician
    _choose(cast.clinic, None)
    _, token = create_invitation(
        kind="client", clinic=cast.clinic, email="invited@north.test", by=cast.clinician
    )
    # when the client accepts it
    user = accept_invitation(raw_token=token, name="Ivy Invited", password="a-long-good-password")
    # then their Today page lists the questionnaires waiting, by their plain names
    html = page(sign_in(client, user).get(reverse("program:today")))
    enrollment = Enrollment.objects.get(client=user)
    assert _assigned(enrollment) == sorted(DEFAULT)
    assert "No questionnaires assigned yet" not in html
    assert len(selectors.waiting_forms(enrollment)) == 4


def test_the_admin_chooses_the_baseline_on_the_measures_page(cast, client):
    url = reverse("assessments:clinic_settings", args=[cast.clinic.slug])
    admin = sign_in(client, cast.admin)
    # given a clinic that never chose: the default four are ticked
    _choose(cast.clinic, None)
    html = page(admin.get(url))
    for instrument_id in DEFAULT:
        assert f'value="{instrument_id}" id="id_baseline_instruments_' in html
    assert html.count("checked") == len(DEFAULT) + 1  # and one way of judging change
    # when the admin ticks GAD-7 and WHO-5 only
    response = admin.post(
        url, {"baseline_instruments": ["who-5", "gad-7"], "change_method": "jacobson-truax"}
    )
    # then that is saved (in the catalogue's order) and the next client gets just those
    assert response.status_code == 302
    assert selectors.baseline_instruments(cast.clinic.pk) == ["gad-7", "who-5"]
    assert _assigned(_join(cast)) == ["gad-7", "who-5"]


def test_an_unknown_questionnaire_is_refused_and_nothing_changes(cast, client):
    url = reverse("assessments:clinic_settings", args=[cast.clinic.slug])
    response = sign_in(client, cast.admin).post(
        url, {"baseline_instruments": ["made-up"], "change_method": "jacobson-truax"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in page(response)
    assert selectors.baseline_instruments(cast.clinic.pk) == []
