"""The clinic admin's pages for the clinic's own questionnaires, as a browser uses them.

Bad input (a broken file, a huge one, one that is not text, an id that clashes, an
example with the wrong number of answers) gets a clear message and changes nothing;
nothing answers with a server error.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.clinic_questionnaires import (
    EXAMPLE_ID,
    EXAMPLES,
    as_bytes,
    draft,
    example,
    published,
)
from tests.assessments.helpers import page, sign_in
from waypost.assessments.models import ClinicInstrument, ClinicInstrumentEvent

pytestmark = pytest.mark.django_db


def _url(name: str, version: ClinicInstrument | None = None, **extra) -> str:
    if version is None:
        return reverse(f"assessments:{name}", kwargs={"slug": "north", **extra})
    return reverse(
        f"assessments:{name}",
        kwargs={
            "slug": version.clinic.slug,
            "instrument_id": version.instrument_id,
            "revision": version.revision,
            **extra,
        },
    )


def _file(raw: bytes, name: str = "questionnaire.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, raw, content_type="application/json")


@pytest.fixture
def admin(cast, client):
    return sign_in(client, cast.admin)


def test_the_measures_page_leads_to_the_clinics_questionnaires(cast, admin):
    response = admin.get(reverse("assessments:clinic_settings", args=["north"]))
    assert _url("clinic_instruments") in page(response)
    response = admin.get(_url("clinic_instruments"))
    assert response.status_code == 200
    assert "None yet" in page(response)


def test_an_upload_with_mistakes_names_each_and_saves_nothing(cast, admin):
    # given the example with a gap between its bands and a misspelt key
    data = example()
    data["waypost"]["bands"][1]["min"] = 5
    response = admin.post(_url("clinic_instrument_upload"), {"file": _file(as_bytes(data))})
    # then the page says so, naming the problem and where it is
    assert response.status_code == 400
    html = page(response)
    assert "The file has a problem. Nothing was saved." in html
    assert "gap between bands &#x27;Low&#x27; and &#x27;Some&#x27;: no band for 4 to 4" in html
    assert "<code>waypost.bands</code>" in html
    assert "In questionnaire.json:" in html
    assert not ClinicInstrument.objects.exists()


def test_a_good_upload_leads_to_its_draft(cast, admin):
    response = admin.post(_url("clinic_instrument_upload"), {"file": _file(as_bytes(example()))})
    version = ClinicInstrument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("clinic_instrument", version)
    html = page(admin.get(response["Location"]))
    assert "Passes every check." in html
    assert "No worked examples yet." in html
    assert "Add at least one worked example from the publication." in html
    # and the list shows it, with who uploaded it
    html = page(admin.get(_url("clinic_instruments")))
    assert "EX-4" in html and "Ada Admin" in html and "Draft" in html


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\xfa", "not UTF-8 text"),
        (b" " * (256 * 1024 + 1), "may be at most 256 KB"),
        (as_bytes(example(id="gad-7")), "is already a questionnaire of this installation"),
    ],
    ids=["broken-json", "not-utf8", "too-large", "builtin-id"],
)
def test_bad_files_are_refused_with_a_clear_message(cast, admin, raw, message):
    response = admin.post(_url("clinic_instrument_upload"), {"file": _file(raw)})
    assert response.status_code == 400
    assert message in page(response)
    assert not ClinicInstrument.objects.exists()


def test_an_upload_without_a_file_asks_for_one(cast, admin):
    response = admin.post(_url("clinic_instrument_upload"), {})
    assert response.status_code == 400
    assert "This field is required." in page(response)


def test_a_worked_example_is_entered_checked_and_kept(cast, admin):
    version = draft(cast.clinic, cast.admin, examples=False)
    # when the admin enters one that agrees and one that does not
    url = _url("clinic_instrument_add_example", version)
    good = {"answers": "1, 2, 1, 0", "total": "4", "band": "Some", "note": "Table 2"}
    assert admin.post(url, good).status_code == 302
    bad = {"answers": "2,2,1,3", "total": "9", "band": "High", "flags": ["example-positive"]}
    assert admin.post(url, bad).status_code == 302
    # then each is checked, and the one that differs says how
    html = page(admin.get(_url("clinic_instrument", version)))
    assert "1 of 2 examples agree." in html
    assert "The total differs: the publication gives 9, Waypost 8." in html
    assert "The flags differ" in html
    assert "Table 2" in html
    version.refresh_from_db()
    assert version.examples[0] == {
        "answers": [1, 2, 1, 0],
        "total": 4,
        "band": "Some",
        "flags": [],
        "note": "Table 2",
    }
    # and it cannot be published until the one that differs is removed
    assert admin.post(_url("clinic_instrument_publish", version)).status_code == 302
    version.refresh_from_db()
    assert version.status == "draft"
    admin.post(_url("clinic_instrument_remove_example", version, position=2))
    admin.post(_url("clinic_instrument_publish", version))
    version.refresh_from_db()
    assert version.status == "published"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"answers": "1,2", "total": "3", "band": "Low"}, "has 4 questions: give one score"),
        ({"answers": "1,2,1,7", "total": "3", "band": "Low"}, "Answer 4 is 7"),
        ({"answers": "one,two", "total": "3", "band": "Low"}, "numbers separated by commas"),
        ({"answers": "0,0,0,0", "total": "lots", "band": "Low"}, "the total as a number"),
        ({"answers": "0,0,0,0", "total": "0", "band": "Nope"}, "Select a valid choice"),
        ({"answers": "0,0,0,0", "total": "0"}, "This field is required."),
    ],
    ids=["too-few", "not-an-option", "not-numbers", "total-text", "unknown-band", "no-band"],
)
def test_an_example_that_does_not_fit_is_refused_and_nothing_changes(cast, admin, data, message):
    version = draft(cast.clinic, cast.admin, examples=False)
    response = admin.post(_url("clinic_instrument_add_example", version), data)
    assert response.status_code == 400
    assert message in page(response)
    version.refresh_from_db()
    assert version.examples == []


def test_an_examples_file_adds_them_all_or_none(cast, admin):
    version = draft(cast.clinic, cast.admin, examples=False)
    url = _url("clinic_instrument_add_example", version)
    # one bad example in the file: none is added, and the bad one is named
    bad = [*EXAMPLES, {"answers": [1, 1], "total": 2}]
    response = admin.post(url, {"source": "file", "file": _file(json.dumps(bad).encode())})
    assert response.status_code == 400
    assert "example 4: the questionnaire has 4 items; got 2 answers" in page(response)
    version.refresh_from_db()
    assert version.examples == []
    # the documented file: all three are added, and agree
    good = json.dumps(EXAMPLES).encode()
    assert admin.post(url, {"source": "file", "file": _file(good)}).status_code == 302
    assert "3 of 3 examples agree." in page(admin.get(_url("clinic_instrument", version)))
    # and they download as they were given (answers by linkId in item order)
    downloaded = json.loads(admin.get(_url("clinic_instrument_download_examples", version)).content)
    assert [e["total"] for e in downloaded] == [0, 4, 8]
    assert downloaded[2]["answers"] == [2, 2, 1, 3]


def test_the_file_downloads_exactly_as_uploaded(cast, admin):
    version = draft(cast.clinic, cast.admin)
    response = admin.get(_url("clinic_instrument_download", version))
    assert response["Content-Disposition"] == 'attachment; filename="example-screen.v1.json"'
    assert json.loads(response.content) == example()


def test_the_preview_shows_every_question_as_a_client_sees_it(cast, admin):
    version = draft(cast.clinic, cast.admin)
    html = page(admin.get(_url("clinic_instrument_preview", version)))
    for item in example()["item"]:
        assert item["text"] in html
    assert "Question 4 of 4" in html
    assert "Over the last week, how often was this true for you?" in html
    assert "Example check-in" in html
    assert "marked for the clinician’s attention" in html
    # answering here saves nothing: there is no form
    assert "<form" not in html.split('id="main"')[1].split("</main>")[0]


def test_publish_and_withdraw_from_the_page(cast, admin):
    version = draft(cast.clinic, cast.admin)
    response = admin.post(_url("clinic_instrument_publish", version), follow=True)
    assert "Published. Clinicians at North Clinic can now give EX-4" in page(response)
    # the clinic's settings now offer it for new clients, with a link to it
    html = page(admin.get(reverse("assessments:clinic_settings", args=["north"])))
    assert f'value="{EXAMPLE_ID}"' in html
    response = admin.post(
        reverse("assessments:clinic_instrument_withdraw", args=["north", EXAMPLE_ID]),
        follow=True,
    )
    assert "Withdrawn." in page(response)
    assert f'value="{EXAMPLE_ID}"' not in page(
        admin.get(reverse("assessments:clinic_settings", args=["north"]))
    )
    actions = list(ClinicInstrumentEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["uploaded", "example_added", "published", "withdrawn"]
    # withdrawing what is not published changes nothing and says so
    response = admin.post(
        reverse("assessments:clinic_instrument_withdraw", args=["north", EXAMPLE_ID]),
        follow=True,
    )
    assert "nothing to withdraw" in page(response)


def test_a_version_of_another_clinic_is_not_found(cast, client):
    from tests.cast import make_user
    from waypost.clinics.models import ClinicAdmin

    south_admin = make_user("admin@south.test", "Sol South")
    ClinicAdmin.objects.create(user=south_admin, clinic=cast.other_clinic)
    theirs = draft(cast.other_clinic, south_admin)
    browser = sign_in(client, cast.admin)
    url = reverse(
        "assessments:clinic_instrument",
        kwargs={"slug": "north", "instrument_id": theirs.instrument_id, "revision": 1},
    )
    assert browser.get(url).status_code == 404
    assert browser.get(_url("clinic_instrument", theirs)).status_code == 403


def test_a_clinician_of_the_clinic_finds_it_in_the_assign_form_once_published(cast, client):
    browser = sign_in(client, cast.clinician)
    url = reverse("assessments:clinician_measures", args=[cast.enrollment.pk])
    draft(cast.clinic, cast.admin)
    assert f'value="{EXAMPLE_ID}"' not in page(browser.get(url))
    published(cast.clinic, cast.admin, example(version="1.1"))
    assert f'value="{EXAMPLE_ID}"' in page(browser.get(url))
    # a clinician of another clinic never does
    browser = sign_in(client, cast.foreign_clinician)
    other = reverse("assessments:clinician_measures", args=[cast.foreign_enrollment.pk])
    assert f'value="{EXAMPLE_ID}"' not in page(browser.get(other))


def test_the_clients_pages_make_as_many_queries_with_many_forms_as_with_one(cast, client):
    from datetime import timedelta

    from django.utils import timezone

    from waypost.assessments import services

    published(cast.clinic, cast.admin)
    browser = sign_in(client, cast.client)

    def completed(n: int) -> None:
        for i in range(n):
            services.record_completed(
                enrollment=cast.enrollment,
                instrument_id=EXAMPLE_ID,
                answers=[i % 4, 0, 0, 0],
                at=timezone.now() - timedelta(days=30 - i),
            )

    def count(url: str) -> int:
        browser.get(url)  # the version is read once per process, then kept
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(url).status_code == 200
        return len(captured.captured_queries)

    completed(1)
    few = {url: count(url) for url in ("/today/", "/measures/")}
    completed(20)
    assert {url: count(url) for url in few} == few


def test_looking_at_the_pages_writes_nothing(cast, admin):
    version = draft(cast.clinic, cast.admin)
    urls = [
        _url("clinic_instruments"),
        _url("clinic_instrument_upload"),
        _url("clinic_instrument", version),
        _url("clinic_instrument_preview", version),
        _url("clinic_instrument_download", version),
        _url("clinic_instrument_download_examples", version),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(url).status_code == 200, url
        writes = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            and '"django_session"' not in q["sql"]
        ]
        assert not writes, (url, writes)
