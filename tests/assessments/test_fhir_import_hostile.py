"""A FHIR import never answers 500: a hostile or broken file is a 400 that says why.

Items nested hundreds deep, dates outside any calendar, numbers too large for any
answer, NaN, files that are not an object or not UTF-8, files too large: each is refused
with a plain message on the import form, and nothing is stored, put on the timeline or
audited as imported.
"""

from __future__ import annotations

import copy
import html
import json
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import PHQ9_17, completed, page, sign_in
from waypost.assessments import fhir
from waypost.assessments.models import Administration
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.safety.models import RiskAlert

pytestmark = pytest.mark.django_db

NESTED = "The file is nested too deeply to be a form."
NOT_JSON = "The file is not JSON."
NOT_A_RESPONSE = "This is not a FHIR QuestionnaireResponse."
BAD_NUMBER = "The file holds a number that is too large, or not a number at all."
AUTHORED_NOT_FHIR = "This QuestionnaireResponse is not valid FHIR: authored"
AUTHORED_NOT_REAL = "The response's 'authored' date and time is not a real one."
TOO_OLD = "The response is dated too long ago to be right."
FUTURE = "The response is dated in the future."
TOO_LARGE = "The file is too large for a single form."


@pytest.fixture
def resource(cast) -> dict:
    """A completed PHQ-9 as another Waypost would export it (not stored here)."""
    done = completed(cast, PHQ9_17, at=timezone.now() - timedelta(days=2))
    exported = fhir.questionnaire_response(done)
    Administration.objects.filter(pk=done.pk).delete()
    return exported


def _upload(browser, cast, content: bytes | str):
    if isinstance(content, str):
        content = content.encode()
    browser.raise_request_exception = False  # a crash must show as the 500 it would be
    return browser.post(
        reverse("assessments:import", args=[cast.enrollment.pk]),
        {"file": SimpleUploadedFile("r.json", content, content_type="application/fhir+json")},
    )


def _import_error(response) -> str:
    text = page(response)
    start = text.index('<ul class="errorlist')
    return html.unescape(text[start : text.index("</ul>", start)])


def _what_an_import_changes() -> tuple[int, int, int, int]:
    return (
        Administration.objects.count(),
        TimelineEvent.objects.count(),
        AuditEvent.objects.filter(what="measure imported").count(),
        RiskAlert.objects.count(),
    )


def _assert_refused(response, message: str, before) -> None:
    assert response.status_code == 400, response.content.decode()[:300]
    assert message in _import_error(response)
    assert _what_an_import_changes() == before


def _nest_items(depth: int):
    """Items inside items, ``depth`` levels below the last question (written as text:
    Python's own json cannot write what is this deep)."""

    def change(data: dict) -> str:
        deep = '{"linkId": "g", "item": [' * depth + '{"linkId": "deepest"}' + "]}" * depth
        data["item"].append("@@")
        return _raw(deep)(data)

    return change


def _nest_answers(depth: int):
    """Follow-up items inside answers inside items, ``depth`` levels deep under question 1."""

    def change(data: dict) -> str:
        deep = (
            '{"linkId": "f", "answer": [{"valueInteger": 0, "item": [' * depth
            + '{"linkId": "deepest"}'
            + "]}]}" * depth
        )
        data["item"][0]["answer"][0]["item"] = ["@@"]
        return _raw(deep)(data)

    return change


def _authored(value: str):
    def change(data: dict) -> str:
        data["authored"] = value
        return json.dumps(data)

    return change


def _raw(text: str):
    """Put ``text`` (a JSON value Python would not write itself) into the file as is."""

    def change(data: dict) -> str:
        return json.dumps(data).replace('"@@"', text)

    return change


def _answer(answer_json: str):
    """Question 1's only answer, written as raw JSON."""

    def change(data: dict) -> str:
        data["item"][0]["answer"] = "@@"
        return _raw(f"[{answer_json}]")(data)

    return change


def _at(path: str, text: str):
    """The top-level member ``path`` set to raw JSON ``text``."""

    def change(data: dict) -> str:
        data[path] = "@@"
        return _raw(text)(data)

    return change


HUGE = "1" + "0" * 400  # 10**400 written as a JSON number
WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(_nest_items(120), NESTED, id="items-nested-120-deep"),
        pytest.param(_nest_items(500), NESTED, id="items-nested-500-deep"),
        pytest.param(_nest_items(40), NESTED, id="items-nested-40-deep"),
        pytest.param(_nest_answers(150), NESTED, id="answers-nested-150-deep"),
        pytest.param(lambda d: "[" * 100_000 + "]" * 100_000, NESTED, id="brackets-100000-deep"),
        pytest.param(lambda d: '{"a":' * 50_000 + "1" + "}" * 50_000, NESTED, id="objects-deep"),
    ],
)
def test_deep_nesting_is_refused_without_a_crash(cast, client, resource, make, message):
    # given a file nested far deeper than any questionnaire response
    before = _what_an_import_changes()
    # when the clinician imports it
    response = _upload(sign_in(client, cast.clinician), cast, make(copy.deepcopy(resource)))
    # then it is refused plainly and nothing changed
    _assert_refused(response, message, before)


@pytest.mark.parametrize(
    ("authored", "message"),
    [
        ("0000-06-01T10:00:00Z", AUTHORED_NOT_FHIR),
        ("99999-06-01T10:00:00Z", AUTHORED_NOT_FHIR),
        ("2024-13-45T10:00:00Z", AUTHORED_NOT_FHIR),
        ("2024-05-01T10:00:00+99:00", AUTHORED_NOT_FHIR),
        ("2024-05-01T24:00:00Z", AUTHORED_NOT_FHIR),
        ("2024-05-01T10:00:60Z", AUTHORED_NOT_REAL),
        ("2024-02-30T10:00:00Z", AUTHORED_NOT_FHIR),
        ("2023-02-29T10:00:00+01:00", AUTHORED_NOT_FHIR),
        ("0001-01-01T00:30:00+01:00", TOO_OLD),  # before the first instant a date can hold
        ("0001-01-01T00:00:00Z", TOO_OLD),
        ("1899-12-31T23:59:59Z", TOO_OLD),
        ("9999-12-31T23:59:59-14:00", FUTURE),
        ("9999-12-31T23:59:59+14:00", FUTURE),
    ],
)
def test_a_date_outside_the_calendar_is_refused_without_a_crash(
    cast, client, resource, authored, message
):
    # given a response dated where no real form could be
    before = _what_an_import_changes()
    # when the clinician imports it
    response = _upload(sign_in(client, cast.clinician), cast, _authored(authored)(resource))
    # then it is refused plainly and nothing changed
    _assert_refused(response, message, before)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda d: HUGE, NOT_A_RESPONSE, id="the-whole-file"),
        pytest.param(_answer(f'{{"valueInteger": {HUGE}}}'), BAD_NUMBER, id="valueInteger"),
        pytest.param(_answer(f'{{"valueInteger": -{HUGE}}}'), BAD_NUMBER, id="valueInteger-neg"),
        pytest.param(_answer(f'{{"valueDecimal": {HUGE}}}'), BAD_NUMBER, id="valueDecimal"),
        pytest.param(_answer(f'{{"valueDecimal": {HUGE}.5}}'), BAD_NUMBER, id="huge-decimal"),
        pytest.param(_answer('{"valueDecimal": 1e400}'), BAD_NUMBER, id="decimal-overflow"),
        pytest.param(
            _answer(
                f'{{"valueCoding": {{"code": "x"}}, '
                f'"extension": [{{"url": "{WEIGHT}", "valueDecimal": {HUGE}}}]}}'
            ),
            BAD_NUMBER,
            id="item-weight",
        ),
        pytest.param(
            _answer(f'{{"valueCoding": {{"system": "http://loinc.org", "code": {HUGE}}}}}'),
            BAD_NUMBER,
            id="valueCoding-code",
        ),
        pytest.param(_at("id", HUGE), BAD_NUMBER, id="id"),
        pytest.param(_at("authored", HUGE), BAD_NUMBER, id="authored"),
        pytest.param(_at("status", HUGE), BAD_NUMBER, id="status"),
        pytest.param(_at("questionnaire", HUGE), BAD_NUMBER, id="questionnaire"),
        pytest.param(_at("authored", "1e400"), BAD_NUMBER, id="authored-1e400"),
    ],
)
def test_a_huge_number_is_refused_without_a_crash(cast, client, resource, make, message):
    # given a response with a number no answer could be (10**400, or more than a float holds)
    before = _what_an_import_changes()
    # when the clinician imports it
    response = _upload(sign_in(client, cast.clinician), cast, make(copy.deepcopy(resource)))
    # then it is refused plainly and nothing changed
    _assert_refused(response, message, before)


def test_a_number_longer_than_python_will_read_is_refused_without_a_crash(cast, client, resource):
    # given a number of 5,000 digits (past the limit Python sets on reading integers)
    before = _what_an_import_changes()
    content = _answer('{"valueInteger": ' + "9" * 5000 + "}")(copy.deepcopy(resource))
    # when the clinician imports it
    response = _upload(sign_in(client, cast.clinician), cast, content)
    # then it is refused plainly and nothing changed
    assert response.status_code == 400
    assert "a number far too long" in response.content.decode()
    assert _what_an_import_changes() == before


@pytest.mark.parametrize(
    "answer_json",
    [
        '{"valueDecimal": NaN}',
        '{"valueDecimal": Infinity}',
        '{"valueDecimal": -Infinity}',
        '{"valueInteger": NaN}',
        '{"valueInteger": Infinity}',
        '{"valueCoding": {"code": "x"}, "extension": [{"url": "'
        + WEIGHT
        + '", "valueDecimal": NaN}]}',
    ],
)
def test_nan_and_infinity_are_refused_without_a_crash(cast, client, resource, answer_json):
    # given a response with NaN or Infinity, which JSON does not have
    before = _what_an_import_changes()
    # when the clinician imports it
    response = _upload(
        sign_in(client, cast.clinician), cast, _answer(answer_json)(copy.deepcopy(resource))
    )
    # then it is refused plainly and nothing changed
    _assert_refused(response, BAD_NUMBER, before)


@pytest.mark.parametrize(
    "content",
    ["[]", "[{}]", '"QuestionnaireResponse"', "null", "0", "17", "true", "false", "{}", "1.5"],
)
def test_json_that_is_not_an_object_is_refused(cast, client, resource, content):
    # given a file that is JSON, but not a resource
    before = _what_an_import_changes()
    # when the clinician imports it
    response = _upload(sign_in(client, cast.clinician), cast, content)
    # then it is refused plainly and nothing changed
    _assert_refused(response, NOT_A_RESPONSE, before)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("latin-1", errors="replace"), id="latin-1"),
        pytest.param(lambda text: text.encode("utf-16"), id="utf-16"),
        pytest.param(lambda text: b"\xff\xfe\x00" + text.encode(), id="stray-bytes"),
        pytest.param(lambda text: text.encode()[:-3] + b"\xc3", id="cut-in-a-character"),
    ],
)
def test_a_file_that_is_not_utf_8_is_refused(cast, client, resource, encode):
    # given a response saved in another encoding (a name with an accent in it)
    resource["item"][0]["text"] = "Peu d'intérêt à faire les choses"
    before = _what_an_import_changes()
    # when the clinician imports it
    response = _upload(
        sign_in(client, cast.clinician), cast, encode(json.dumps(resource, ensure_ascii=False))
    )
    # then it is refused plainly and nothing changed
    _assert_refused(response, NOT_JSON, before)


def test_an_oversize_file_is_refused(cast, client, resource):
    # given a real response padded past the size of any single form
    resource["item"][0]["text"] = "x" * (600 * 1024)
    before = _what_an_import_changes()
    # when the clinician imports it
    response = _upload(sign_in(client, cast.clinician), cast, json.dumps(resource))
    # then it is refused plainly and nothing changed
    _assert_refused(response, TOO_LARGE, before)


def test_the_same_file_unharmed_imports(cast, client, resource):
    # given the file every case above spoils
    # when it is imported as it is
    response = _upload(sign_in(client, cast.clinician), cast, json.dumps(resource))
    # then it is stored (so each refusal above is the spoiling, not the file)
    assert response.status_code == 302
    assert Administration.objects.get().total == 17


@pytest.mark.parametrize(
    "authored", ["2024-05-01T10:00:00+14:00", "2024-05-01T10:00:00-12:00", "1900-01-01T00:00:00Z"]
)
def test_a_date_at_the_edges_of_the_calendar_imports(cast, client, resource, authored):
    # given a response dated at the far ends of the time zones, or on the earliest day allowed
    # when it is imported
    response = _upload(sign_in(client, cast.clinician), cast, _authored(authored)(resource))
    # then it is stored at that very instant
    assert response.status_code == 302
    assert Administration.objects.get().completed_at == datetime.fromisoformat(authored)


def test_a_response_with_a_few_nested_groups_still_imports(cast, client, resource):
    # given a response from a system that also sends a group of groups, six levels deep
    response = _upload(sign_in(client, cast.clinician), cast, _nest_items(6)(resource))
    # then the nesting limit leaves it alone
    assert response.status_code == 302
    assert Administration.objects.get().total == 17
