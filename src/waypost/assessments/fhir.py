"""Completed forms as FHIR R5: QuestionnaireResponse for the answers, Observation for the score.

Exports carry no name, e-mail or other identifier of the client: the person
exporting knows whose form it is, and the file may travel. An import reads a
QuestionnaireResponse for one of our instruments back into its answers, so
an export imported again gives the same answers and the same score.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.assessments import catalog, instruments, scoring
from waypost.assessments.catalog import ITEM_WEIGHT
from waypost.assessments.models import Administration
from waypost.core.errors import DomainError


class FhirImportError(DomainError):
    """A QuestionnaireResponse that cannot be read; ``message`` says why."""

    code = "fhir_import_refused"


#: How deeply arrays and objects may nest in an imported file. Our own exports go 7 deep;
#: groups of groups with follow-up questions stay well inside this, and so every reader
#: after the check (the FHIR models included) stays far from Python's recursion limit.
MAX_DEPTH = 64
#: The largest integer an imported file may hold: FHIR's own largest (integer64).
MAX_INTEGER = 2**63 - 1
#: No questionnaire Waypost knows is older than this; an earlier date is a mistake.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)


def canonical(entry: catalog.Entry) -> str:
    url = entry.questionnaire.get("url", "")
    version = entry.questionnaire.get("version")
    return f"{url}|{version}" if version else url


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def questionnaire_response(form: Administration) -> dict[str, Any]:
    entry = form.entry
    if entry is None:
        raise ValueError(f"unknown instrument {form.instrument_id}")
    answers = form.answers
    items = []
    for item in entry.instrument.items:
        if item.link_id not in answers:
            continue
        option = item.option_for(answers[item.link_id])
        if option is None:
            raise ValueError(f"{form.instrument_id} {item.link_id}: the stored answer is no option")
        items.append(
            {
                "linkId": item.link_id,
                "text": item.text,
                "answer": [
                    {
                        "valueCoding": _coding(entry, item.link_id, option.code, option.display),
                        "extension": [{"url": ITEM_WEIGHT, "valueDecimal": option.score}],
                    }
                ],
            }
        )
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(form.uuid),
        "questionnaire": canonical(entry),
        "status": "completed" if form.status == Administration.Status.COMPLETED else "in-progress",
        "item": items,
    }
    if form.completed_at:
        resource["authored"] = _iso(form.completed_at)
    return resource


def _coding(entry: catalog.Entry, link_id: str, code: str, display: str) -> dict[str, str]:
    for raw in entry.questionnaire.get("item", []):
        if raw.get("linkId") != link_id:
            continue
        for option in raw.get("answerOption", []):
            coding = option.get("valueCoding")
            if coding and coding.get("code") == code:
                return {k: v for k, v in coding.items() if k in ("system", "code", "display")}
    return {"code": code, "display": display}


def observation(form: Administration) -> dict[str, Any]:
    entry = form.entry
    if entry is None or form.total is None or form.completed_at is None:
        raise ValueError("only a scored form has an observation")
    code: dict[str, Any] = {
        "text": _("%(name)s total score") % {"name": entry.instrument.short_name}
    }
    if entry.total_code:
        code["coding"] = [dict(entry.total_code)]
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{form.uuid}-score",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                        "display": "Survey",
                    }
                ]
            }
        ],
        "code": code,
        "effectiveDateTime": _iso(form.completed_at),
        "valueQuantity": {"value": form.total, "unit": "{score}"},
        "derivedFrom": [
            {"reference": f"QuestionnaireResponse/{form.uuid}", "display": canonical(entry)}
        ],
    }
    if form.band:
        resource["interpretation"] = [{"text": form.band}]
    if form.subscales:
        names = {s.id: s.name for s in entry.instrument.subscales}
        resource["component"] = [
            {
                "code": {"text": names.get(key, key)},
                "valueQuantity": {"value": value, "unit": "{score}"},
            }
            for key, value in form.subscales.items()
        ]
    return resource


def validate(resource: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless ``resource`` is a valid FHIR R5 resource of its type."""
    from fhir.resources import get_fhir_model_class
    from pydantic import ValidationError

    try:
        model = get_fhir_model_class(resource.get("resourceType", ""))
    except (KeyError, ValueError) as exc:
        raise ValueError(f"unknown resourceType {resource.get('resourceType')!r}") from exc
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValueError(".".join(str(p) for p in first["loc"]) + ": " + first["msg"]) from None


def response_uuid(data: object) -> uuid.UUID | None:
    """The response's ``id`` as a UUID when it is one (our own exports), else ``None``."""
    if not isinstance(data, dict):
        return None
    try:
        return uuid.UUID(str(data.get("id", "")))
    except ValueError:
        return None


def read_questionnaire_response(
    data: object, clinic_id: int | None = None
) -> tuple[catalog.Entry, list[float | int], datetime]:
    """The instrument, the answers in item order and when it was completed.

    The questionnaire is found by its canonical url among the installed ones and,
    with ``clinic_id``, that clinic's own published ones (never another clinic's).

    Anything else raises :class:`FhirImportError` with a message for the person
    importing: whatever the file holds (nesting hundreds deep, numbers beyond any
    answer, dates outside the calendar), reading it never fails in another way.
    """
    if not isinstance(data, dict) or data.get("resourceType") != "QuestionnaireResponse":
        raise FhirImportError(_("This is not a FHIR QuestionnaireResponse."))
    _check_shape(data)
    try:
        validate(data)
    except ValueError as exc:
        raise FhirImportError(
            _("This QuestionnaireResponse is not valid FHIR: %(problem)s") % {"problem": exc}
        ) from None
    except RecursionError:  # not expected after _check_shape; still never a crash
        raise FhirImportError(_("The file is nested too deeply to be a form.")) from None
    if data.get("status") != "completed":
        raise FhirImportError(_("Only a completed QuestionnaireResponse can be imported."))
    reference = str(data.get("questionnaire", "")).split("|")[0]
    known = instruments.available(clinic_id) if clinic_id is not None else catalog.catalog()
    entry = next((e for e in known.values() if e.questionnaire.get("url") == reference), None)
    if entry is None:
        raise FhirImportError(
            _("The questionnaire %(ref)s is not one Waypost knows.") % {"ref": reference or "?"}
        )
    by_link = {item.get("linkId"): item for item in data.get("item", []) or []}
    answers: list[float | int] = []
    for position, item in enumerate(entry.instrument.items, start=1):
        raw = by_link.get(item.link_id)
        value = _answer_score(item, raw)
        if value is None:
            raise FhirImportError(
                _("Question %(n)d (%(link)s) has no answer Waypost can read.")
                % {"n": position, "link": item.link_id}
            )
        answers.append(value)
    return entry, answers, _authored(data.get("authored"))


def _check_shape(data: object) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and numbers no answer could be.

    Walks the file without recursion, before any reader that recurses sees it. JSON has
    no NaN or Infinity (Python's reader lets them in, and a number past a float's range
    arrives as Infinity); an integer past :data:`MAX_INTEGER` fits no FHIR type.
    """
    pending: list[tuple[object, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        children: Iterable[object]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            if (isinstance(value, int) and abs(value) > MAX_INTEGER) or (
                isinstance(value, float) and not math.isfinite(value)
            ):
                raise FhirImportError(
                    _("The file holds a number that is too large, or not a number at all.")
                )
            continue
        if depth > MAX_DEPTH:
            raise FhirImportError(_("The file is nested too deeply to be a form."))
        pending.extend((child, depth + 1) for child in children)


def _authored(authored: object) -> datetime:
    """When the response was completed: a real instant with a time zone, not in the future."""
    if not isinstance(authored, str) or "T" not in authored:
        # missing, or a date (or year) alone, as FHIR allows
        raise FhirImportError(_("The response needs an 'authored' date and time with a time zone."))
    try:
        when = datetime.fromisoformat(authored.replace("Z", "+00:00"))
    except ValueError:  # FHIR's pattern lets some through that no clock shows (a 60th second)
        raise FhirImportError(
            _("The response's 'authored' date and time is not a real one.")
        ) from None
    if when.tzinfo is None:
        raise FhirImportError(_("The response needs an 'authored' date and time with a time zone."))
    # Compared before any conversion: 0001-01-01T00:30+01:00 has no instant in UTC.
    if when < EARLIEST:
        raise FhirImportError(_("The response is dated too long ago to be right."))
    if when > timezone.now():
        raise FhirImportError(_("The response is dated in the future."))
    return when


def _answer_score(item: scoring.Item, raw: dict[str, Any] | None) -> float | int | None:
    if not raw or not raw.get("answer"):
        return None
    answer = raw["answer"][0]
    coding = answer.get("valueCoding") or {}
    for option in item.options:
        if coding.get("code") and coding.get("code") == option.code:
            return option.score
    for extension in answer.get("extension", []) or []:
        if extension.get("url") == ITEM_WEIGHT:
            weighted = item.option_for(extension.get("valueDecimal"))
            if weighted is not None:
                return weighted.score
    if "valueInteger" in answer and item.option_for(answer["valueInteger"]) is not None:
        value: scoring.Number = answer["valueInteger"]  # equal to one of the item's scores
        return value
    return None
