"""A clinic's own questionnaire: uploaded, checked, published for that clinic only, versioned.

The rules are in ``services/clinic_instruments.py``; what a client and a clinician
then do with the questionnaire is the same as with any other.
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.assessments.clinic_questionnaires import (
    EXAMPLE_ID,
    EXAMPLES,
    as_bytes,
    draft,
    example,
    published,
)
from tests.assessments.helpers import answer_all, sign_in
from tests.cast import make_user
from waypost.assessments import catalog, fhir, instrument_check, instruments, results, services
from waypost.assessments.models import (
    Administration,
    Assignment,
    ClinicInstrument,
    ClinicInstrumentEvent,
    ClinicMeasureSettings,
)
from waypost.assessments.services import clinic_instruments as service
from waypost.clinics.models import ClinicAdmin

pytestmark = pytest.mark.django_db


def _refusal(cast, raw: bytes) -> service.InstrumentRefused:
    with pytest.raises(service.InstrumentRefused) as caught:
        service.upload(clinic=cast.clinic, raw=raw, by=cast.admin)
    # and nothing is kept
    assert not ClinicInstrument.objects.exists()
    assert not ClinicInstrumentEvent.objects.exists()
    return caught.value


def _texts(refusal: service.InstrumentRefused) -> list[str]:
    return [p.text for p in refusal.problems]


# --- uploading --------------------------------------------------------------------------


def test_a_good_file_is_kept_as_a_draft_of_version_1(cast):
    # when the admin uploads the documented example
    version = service.upload(clinic=cast.clinic, raw=as_bytes(example()), by=cast.admin)
    # then it is a draft, version 1, kept exactly as uploaded, with who did it
    assert (version.instrument_id, version.revision, version.status) == (EXAMPLE_ID, 1, "draft")
    assert json.loads(version.content) == example()
    assert version.short_name == "EX-4"
    event = ClinicInstrumentEvent.objects.get()
    assert (event.action, event.actor, event.version) == ("uploaded", cast.admin, version)
    # and nobody can give it yet
    assert EXAMPLE_ID not in instruments.available(cast.clinic.pk)


def test_every_problem_of_a_file_is_named_with_where_it_is(cast):
    # given the example with four unrelated mistakes across its parts
    data = example()
    data["waypost"]["critical_item"] = data["waypost"].pop("critical_items")
    data["waypost"]["stem"] = 3
    data["item"][1]["answerOption"][2]["extension"] = []
    data["waypost"]["bands"][0]["min"] = "0"
    # when it is uploaded, then each is named, in the file's order, with its JSON path
    problems = _refusal(cast, as_bytes(data)).problems
    assert [(p.text, p.path) for p in problems] == [
        (
            "item example-2, option 3 ('Quite a lot') has no score (itemWeight)",
            "item[1].answerOption[2]",
        ),
        ("stem must be text", "waypost.stem"),
        ("band 'Low': min must be a number, not '0'", "waypost.bands[0].min"),
        (
            "critical_item is not a key Waypost knows (check its spelling)",
            "waypost.critical_item",
        ),
    ]


def test_every_problem_between_parts_is_named_too(cast):
    # given bands with a gap and an overlap, a cut-off outside the range, a bad critical item
    data = example()
    data["waypost"]["bands"][1]["min"] = 5
    data["waypost"]["bands"][2]["min"] = 7
    data["waypost"]["screens"][0]["min"] = 20
    data["waypost"]["critical_items"][0]["min_score"] = 0
    problems = _refusal(cast, as_bytes(data)).problems
    assert [(p.text, p.path) for p in problems] == [
        ("gap between bands 'Low' and 'Some': no band for 4 to 4", "waypost.bands"),
        ("bands 'Some' and 'High' overlap", "waypost.bands"),
        ("screen example-positive: cut-off 20 is outside [0, 12]", "waypost.screens[0]"),
        (
            "critical item example-4: min_score must be above the lowest option's score and "
            "no higher than the highest",
            "waypost.critical_items[0]",
        ),
    ]


def test_start_up_names_every_problem_of_a_broken_file_in_one_line(tmp_path):
    # given the same file in the installation's own folder
    data = example()
    data["waypost"]["bands"][1]["min"] = 5
    data["waypost"]["screens"][0]["min"] = 20
    (tmp_path / f"{EXAMPLE_ID}.json").write_text(json.dumps(data))
    # then start-up's message names both, on one line
    with pytest.raises(catalog.InstrumentFileError) as caught:
        catalog.load_directories([tmp_path])
    assert caught.value.problem == (
        "gap between bands 'Low' and 'Some': no band for 4 to 4; "
        "screen example-positive: cut-off 20 is outside [0, 12]"
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b'{"resourceType": "Questionnaire",', "not valid JSON (line 1"),
        (b"", "the file is empty"),
        ("{}".encode("utf-16"), "the file is not UTF-8 text"),
        (b"\xff\xfe\x00garbage", "the file is not UTF-8 text"),
        (b"[1, 2, 3]", "the file must hold one JSON object"),
        (b'{"a": ' + b"9" * 5000 + b"}", "a number far too long"),
        (b"[" * 100_000 + b"]" * 100_000, "nested far too deeply"),
        (b" " * (instrument_check.MAX_FILE_BYTES + 1), "may be at most 256 KB"),
    ],
    ids=[
        "broken-json",
        "empty",
        "utf-16",
        "not-text",
        "not-an-object",
        "huge-number",
        "deep",
        "too-large",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_saying_why(cast, raw, problem):
    assert problem in " ".join(_texts(_refusal(cast, raw)))


def test_a_byte_order_mark_is_allowed(cast):
    version = service.upload(
        clinic=cast.clinic, raw=b"\xef\xbb\xbf" + as_bytes(example()), by=cast.admin
    )
    assert version.revision == 1


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"id": "phq-9"}, "id 'phq-9' is already a questionnaire of this installation (PHQ-9)"),
        ({"id": "Example-Screen"}, "must be lowercase letters, digits and hyphens"),
        ({"url": None}, "the Questionnaire needs a 'url'"),
        ({"url": "urn:waypost:instrument:gad-7"}, "is already the url of GAD-7"),
    ],
    ids=["builtin-id", "id-format", "no-url", "builtin-url"],
)
def test_a_file_that_would_clash_with_an_installed_questionnaire_is_refused(cast, changes, problem):
    data = example(**changes)
    if data["url"] is None:
        del data["url"]
    assert problem in " ".join(_texts(_refusal(cast, as_bytes(data))))


def test_an_id_of_the_installations_own_folder_is_refused_too(cast, tmp_path, monkeypatch):
    # given the installation's own folder has a questionnaire with the example's id
    (tmp_path / f"{EXAMPLE_ID}.json").write_text(json.dumps(example(url="urn:test:folder-copy")))
    monkeypatch.setenv("WAYPOST_INSTRUMENTS_DIR", str(tmp_path))
    # then a clinic cannot upload one with the same id
    refusal = _refusal(cast, as_bytes(example()))
    assert "is already a questionnaire of this installation (EX-4)" in _texts(refusal)[0]


def test_only_the_clinics_admins_upload(cast):
    # given the admin of another clinic, and the clinic's own clinician
    south_admin = make_user("admin@south.test", "Sol South")
    ClinicAdmin.objects.create(user=south_admin, clinic=cast.other_clinic)
    for person in (south_admin, cast.clinician, cast.client):
        with pytest.raises(PermissionDenied):
            service.upload(clinic=cast.clinic, raw=as_bytes(example()), by=person)
    assert not ClinicInstrument.objects.exists()


def test_the_same_id_again_is_a_new_version_with_the_examples_that_still_fit(cast):
    # given version 1 with its three worked examples
    first = draft(cast.clinic, cast.admin)
    # when a corrected file is uploaded
    data = example()
    data["item"][0]["text"] = "Planning the day felt hard"
    second = service.upload(clinic=cast.clinic, raw=as_bytes(data), by=cast.admin)
    # then it is version 2, a draft, and starts with the same examples, to be checked again
    assert (second.revision, second.status) == (2, "draft")
    assert len(second.examples) == len(first.examples) == 3
    assert service.review(second).passed == 3
    # and the very same file again is refused: nothing new
    with pytest.raises(service.InstrumentRefused, match="same as version 2"):
        service.upload(clinic=cast.clinic, raw=as_bytes(data), by=cast.admin)


def test_another_clinic_may_use_the_same_id_for_its_own(cast):
    south_admin = make_user("admin@south.test", "Sol South")
    ClinicAdmin.objects.create(user=south_admin, clinic=cast.other_clinic)
    ours = draft(cast.clinic, cast.admin)
    theirs = draft(cast.other_clinic, south_admin)
    assert ours.revision == theirs.revision == 1


# --- worked examples and publishing ------------------------------------------------------


def test_each_worked_example_is_checked_and_says_what_differs(cast):
    version = draft(cast.clinic, cast.admin, examples=False)
    entry = service.review(version).entry
    wrong = instrument_check.read_example(
        {"answers": [1, 2, 1, 0], "total": 5, "band": "Low", "flags": ["example-positive"]},
        entry.instrument,
    )
    version = service.add_examples(version=version, examples=[wrong], by=cast.admin)
    checked = service.review(version).checked[0]
    assert not checked.passed
    assert [str(d) for d in checked.differences] == [
        "total: expected 5, got 4",
        "band: expected 'Low', got 'Some'",
        "flags: expected example-positive, got no flags",
    ]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"answers": [1, 2], "total": 3}, "the questionnaire has 4 items; got 2 answers"),
        ({"answers": [0, 0, 0, 9], "total": 9}, "answer 4 (example-4) is 9"),
        ({"answers": {"example-1": 0}, "total": 0}, "answers are missing for example-2"),
        ({"answers": {"nope": 0}, "total": 0}, "answers name items the questionnaire has not"),
        ({"answers": [0, 0, 0, 0]}, "total must be a number"),
        ({"answers": [0, 0, 0, 0], "total": 0, "bands": "Low"}, "bands is not a key"),
        ({"answers": [0, 0, 0, 0], "total": 0, "flags": "x"}, "flags must be a list"),
        ("0,0,0,0", "must be an object"),
    ],
)
def test_an_example_that_does_not_fit_the_questionnaire_is_refused(cast, raw, problem):
    version = draft(cast.clinic, cast.admin, examples=False)
    entry = service.review(version).entry
    with pytest.raises(instrument_check.ExampleError) as caught:
        instrument_check.read_example(raw, entry.instrument)
    assert problem in str(caught.value)


def test_an_examples_file_with_one_bad_example_adds_none(cast):
    version = draft(cast.clinic, cast.admin, examples=False)
    entry = service.review(version).entry
    examples, problems = instrument_check.read_examples(
        [*EXAMPLES, {"answers": [1], "total": 1}], entry.instrument
    )
    assert examples == []
    assert [(p.text, p.path) for p in problems] == [
        ("example 4: the questionnaire has 4 items; got 1 answers", "[3]")
    ]


def test_publishing_needs_an_example_and_every_example_agreeing(cast):
    version = draft(cast.clinic, cast.admin, examples=False)
    # with no example: refused
    with pytest.raises(service.InstrumentRefused, match="at least one worked example"):
        service.publish(version=version, by=cast.admin)
    # with one that differs: refused
    entry = service.review(version).entry
    wrong = instrument_check.read_example({"answers": [0, 0, 0, 1], "total": 2}, entry.instrument)
    service.add_examples(version=version, examples=[wrong], by=cast.admin)
    with pytest.raises(service.InstrumentRefused, match="Every worked example"):
        service.publish(version=version, by=cast.admin)
    version.refresh_from_db()
    assert version.status == "draft"
    # once it is removed and a right one added: published, for this clinic only
    service.remove_example(version=version, position=1, by=cast.admin)
    right = instrument_check.read_example({"answers": [0, 0, 0, 1], "total": 1}, entry.instrument)
    service.add_examples(version=version, examples=[right], by=cast.admin)
    service.publish(version=version, by=cast.admin)
    version.refresh_from_db()
    assert version.status == "published" and version.published_at is not None
    assert EXAMPLE_ID in instruments.available(cast.clinic.pk)
    assert EXAMPLE_ID not in instruments.available(cast.other_clinic.pk)
    assert catalog.get(EXAMPLE_ID) is None
    # and a published version's examples no longer change
    with pytest.raises(service.InstrumentRefused, match="Only a draft"):
        service.add_examples(version=version, examples=[right], by=cast.admin)


def test_a_version_that_clashes_with_a_questionnaire_installed_since_is_not_published(
    cast, tmp_path, monkeypatch
):
    version = draft(cast.clinic, cast.admin)
    (tmp_path / f"{EXAMPLE_ID}.json").write_text(json.dumps(example(url="urn:test:copy")))
    monkeypatch.setenv("WAYPOST_INSTRUMENTS_DIR", str(tmp_path))
    with pytest.raises(service.InstrumentRefused, match="clashes"):
        service.publish(version=version, by=cast.admin)


# --- giving it to clients ------------------------------------------------------------------


def _answers_8() -> list[int]:
    return [2, 2, 1, 3]  # 8, High, critical:example-4 (a review item) and example-positive


def test_a_clinician_of_the_clinic_gives_it_and_the_client_answers_it(cast, client):
    published(cast.clinic, cast.admin)
    # when the clinician assigns it
    assignment = services.assign_measure(
        enrollment=cast.enrollment, instrument_id=EXAMPLE_ID, by=cast.clinician
    )
    form = assignment.forms.get()
    assert form.clinic_instrument_id == assignment.clinic_instrument_id is not None
    assert form.entry.plain_name == "Example check-in"
    # and the client answers every question and sends it
    browser = sign_in(client, cast.client)
    answer_all(browser, form, _answers_8())
    response = browser.post(f"/measures/{form.pk}/review/")
    assert response.status_code == 302
    form.refresh_from_db()
    # then it is scored with the file's rules
    assert (form.status, form.total, form.band) == ("completed", 8, "High")
    assert sorted(form.flags) == ["critical:example-4", "example-positive"]
    assert form.subscales == {"planning": 4}
    # a review item raises no risk alert
    assert form.alert_raised_at is None
    # and its result, history, timeline and FHIR export work as for any other
    assert browser.get(f"/measures/{form.pk}/result/").status_code == 200
    assert browser.get(f"/measures/history/{EXAMPLE_ID}/").status_code == 200
    [history] = results.histories(cast.enrollment)
    assert history.entry.id == EXAMPLE_ID
    exported = fhir.questionnaire_response(form)
    assert exported["questionnaire"] == "urn:example:questionnaire:example-screen|1.0"
    fhir.validate(exported)
    fhir.validate(fhir.observation(form))


def test_nobody_in_another_clinic_can_give_or_import_it(cast):
    published(cast.clinic, cast.admin)
    with pytest.raises(services.MeasureError):
        services.assign_measure(
            enrollment=cast.foreign_enrollment,
            instrument_id=EXAMPLE_ID,
            by=cast.foreign_clinician,
        )
    # a response to it, imported in the other clinic, names a questionnaire it does not know
    form = services.record_completed(
        enrollment=cast.enrollment,
        instrument_id=EXAMPLE_ID,
        answers=[0, 0, 0, 0],
        at=timezone.now() - timedelta(days=1),
    )
    response = fhir.questionnaire_response(form)
    response["id"] = "other"
    with pytest.raises(fhir.FhirImportError, match="not one Waypost knows"):
        fhir.read_questionnaire_response(response, cast.foreign_enrollment.clinic_id)
    entry, answers, _when = fhir.read_questionnaire_response(response, cast.clinic.pk)
    assert (entry.id, answers) == (EXAMPLE_ID, [0, 0, 0, 0])


def test_a_scored_form_keeps_the_version_it_was_scored_with(cast):
    first = published(cast.clinic, cast.admin)
    scored = services.record_completed(
        enrollment=cast.enrollment,
        instrument_id=EXAMPLE_ID,
        answers=[1, 1, 1, 1],
        at=timezone.now() - timedelta(days=2),
    )
    # given a form the client has begun
    begun = services.assign_measure(
        enrollment=cast.enrollment, instrument_id=EXAMPLE_ID, by=cast.clinician
    ).forms.get()
    services.record_answer(form=begun, link_id="example-1", value=1, by=cast.client)
    # when version 2 changes the wording and the bands, and is published
    data = example()
    data["item"][0]["text"] = "Planning the day felt hard"
    data["waypost"]["bands"] = [
        {"min": 0, "max": 4, "label": "Low"},
        {"min": 5, "max": 12, "label": "Higher"},
    ]
    second = service.upload(clinic=cast.clinic, raw=as_bytes(data), by=cast.admin)
    # (version 1's examples were copied; with the new bands they no longer agree)
    assert service.review(second).failed == 2
    for _copied in EXAMPLES:
        second = service.remove_example(version=second, position=1, by=cast.admin)
    entry = service.review(second).entry
    service.add_examples(
        version=second,
        examples=[
            instrument_check.read_example(
                {"answers": [1, 1, 1, 1], "total": 4, "band": "Low"}, entry.instrument
            )
        ],
        by=cast.admin,
    )
    service.publish(version=second, by=cast.admin)
    first.refresh_from_db()
    assert first.status == "superseded"
    # then the scored form is still read with version 1: its band and its wording
    scored = Administration.objects.get(pk=scored.pk)
    assert scored.clinic_instrument_id == first.pk
    assert scored.entry.revision == 1
    assert scored.entry.instrument.items[0].text == "Planning my day felt hard"
    assert scored.band == "Some"
    # the begun form keeps version 1 too, and is scored with it
    begun = Administration.objects.get(pk=begun.pk)
    assert begun.clinic_instrument_id == first.pk
    for link_id in ("example-2", "example-3", "example-4"):
        services.record_answer(form=begun, link_id=link_id, value=1, by=cast.client)
    assert services.submit(form=begun, by=cast.client).band == "Some"
    # and a new form uses version 2
    fresh = services.record_completed(
        enrollment=cast.enrollment,
        instrument_id=EXAMPLE_ID,
        answers=[1, 1, 1, 1],
        at=timezone.now() - timedelta(hours=1),
    )
    assert fresh.clinic_instrument_id == second.pk
    assert fresh.band == "Low"


def test_publishing_a_new_version_moves_schedules_and_forms_not_begun(cast):
    first = published(cast.clinic, cast.admin)
    schedule = services.assign_measure(
        enrollment=cast.enrollment,
        instrument_id=EXAMPLE_ID,
        by=cast.clinician,
        schedule="weeks",
        every_weeks=2,
    )
    not_begun = schedule.forms.get()
    assert not_begun.clinic_instrument_id == first.pk
    data = example()
    data["item"][0]["text"] = "Planning the day felt hard"
    second = published(cast.clinic, cast.admin, data)
    assert second.revision == 2
    schedule.refresh_from_db()
    not_begun.refresh_from_db()
    assert schedule.clinic_instrument_id == not_begun.clinic_instrument_id == second.pk


def test_withdrawing_stops_new_forms_and_keeps_history_readable(cast, client):
    version = published(cast.clinic, cast.admin)
    scored = services.record_completed(
        enrollment=cast.enrollment,
        instrument_id=EXAMPLE_ID,
        answers=[0, 0, 0, 0],
        at=timezone.now() - timedelta(days=2),
    )
    schedule = services.assign_measure(
        enrollment=cast.enrollment,
        instrument_id=EXAMPLE_ID,
        by=cast.clinician,
        schedule="weeks",
        every_weeks=2,
    )
    # when the admin withdraws it
    service.withdraw(clinic=cast.clinic, instrument_id=EXAMPLE_ID, by=cast.admin)
    version.refresh_from_db()
    assert version.status == "withdrawn"
    # then its schedule has ended, and it can no longer be given
    schedule.refresh_from_db()
    assert schedule.ended_at is not None
    assert EXAMPLE_ID not in instruments.available(cast.clinic.pk)
    with pytest.raises(services.MeasureError):
        services.assign_measure(
            enrollment=cast.enrollment, instrument_id=EXAMPLE_ID, by=cast.clinician
        )
    # but the scored form is still read, on the client's and the clinician's pages
    assert Administration.objects.get(pk=scored.pk).entry is not None
    assert [h.entry.id for h in results.histories(cast.enrollment)] == [EXAMPLE_ID]
    browser = sign_in(client, cast.client)
    assert browser.get(f"/measures/{scored.pk}/result/").status_code == 200
    browser = sign_in(client, cast.clinician)
    url = f"/clients/{cast.enrollment.pk}/measures/{scored.pk}/"
    assert browser.get(url).status_code == 200
    # and publishing it again brings it back
    service.publish(version=version, by=cast.admin)
    assert EXAMPLE_ID in instruments.available(cast.clinic.pk)


def test_the_clinic_can_give_it_to_every_new_client(cast):
    from waypost.program.services import enroll_client

    published(cast.clinic, cast.admin)
    ClinicMeasureSettings.objects.filter(clinic=cast.clinic).update(
        baseline_instruments=["gad-7", EXAMPLE_ID]
    )
    newcomer = make_user("new@north.test", "Nia New")
    enrollment = enroll_client(
        client=newcomer, clinician_profile=cast.clinician_profile, by=cast.clinician
    )
    assigned = Assignment.objects.filter(enrollment=enrollment)
    assert sorted(a.instrument_id for a in assigned) == [EXAMPLE_ID, "gad-7"]
    own = assigned.get(instrument_id=EXAMPLE_ID)
    assert own.clinic_instrument is not None and own.forms.get().entry.id == EXAMPLE_ID


def test_a_withdrawn_questionnaire_in_the_baseline_is_left_out(cast):
    from waypost.program.services import enroll_client

    published(cast.clinic, cast.admin)
    service.withdraw(clinic=cast.clinic, instrument_id=EXAMPLE_ID, by=cast.admin)
    ClinicMeasureSettings.objects.filter(clinic=cast.clinic).update(
        baseline_instruments=[EXAMPLE_ID]
    )
    newcomer = make_user("new@north.test", "Nia New")
    enrollment = enroll_client(
        client=newcomer, clinician_profile=cast.clinician_profile, by=cast.clinician
    )
    assert not Assignment.objects.filter(enrollment=enrollment).exists()


def test_the_timeline_names_it(cast):
    from waypost.core.models import TimelineEvent

    published(cast.clinic, cast.admin)
    services.assign_measure(enrollment=cast.enrollment, instrument_id=EXAMPLE_ID, by=cast.clinician)
    event = TimelineEvent.objects.filter(kind="assessments.assigned").latest("id")
    assert "EX-4 was assigned" in event.summary


def test_a_stored_file_that_no_longer_passes_is_not_used_but_breaks_nothing(cast, caplog):
    version = published(cast.clinic, cast.admin)
    scored = services.record_completed(
        enrollment=cast.enrollment,
        instrument_id=EXAMPLE_ID,
        answers=[0, 0, 0, 0],
        at=timezone.now() - timedelta(days=2),
    )
    # given a stored file that a stricter Waypost would refuse (simulated: broken bands)
    broken = copy.deepcopy(json.loads(version.content))
    broken["waypost"]["bands"][1]["min"] = 5
    ClinicInstrument.objects.filter(pk=version.pk).update(content=json.dumps(broken))
    instruments.forget()
    # then it is logged and left out, and the record still opens
    assert EXAMPLE_ID not in instruments.available(cast.clinic.pk)
    assert Administration.objects.get(pk=scored.pk).entry is None
    assert "no longer passes the checks" in caplog.text
    assert results.histories(cast.enrollment) == []
