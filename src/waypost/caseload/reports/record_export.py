"""The clinician's export of a client's whole record: one JSON document, with a FHIR Bundle.

What it holds:

- ``record``: the record as the clinician sees it: the timeline, the stage history,
  the risk alerts, every completed questionnaire with its total and its change since
  the first, the daily check-ins' answers, the homework with its completion
  (``core.homework``), and the session notes when the session-notes app offers them
  (``caseload.notes.selectors.notes_for_export``, looked up at run time).

  Not the client's own "download my data": it holds what only the client sees (drafts
  of their story, reflections on their reading, their check-in notes), and it spans
  every clinic the person was ever enrolled at. This export is one enrollment's record.
- ``fhir``: the completed questionnaires as FHIR R4 resources (QuestionnaireResponse
  and Observation, made by ``assessments.fhir``) in a Bundle of type ``collection``,
  each resource and the Bundle checked with ``fhir.resources``' R4B models. A resource
  that does not pass is left out and named under ``fhir_left_out``, so one odd form
  never stops the export.

Building it only reads. The view that serves it audits the export. The same data
makes the CSV files (``csv_export``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, uuid5

from django.utils import timezone

from waypost.assessments import fhir, results
from waypost.core import event_kinds, exports, homework
from waypost.program.models import Stage, StageChange
from waypost.safety.models import RiskAlert

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.assessments.models import Administration
    from waypost.program.models import Enrollment

FORMAT = "waypost-record"
FORMAT_VERSION = 1
FHIR_VERSION = "4.3.0"  # R4B, the R4 line fhir.resources ships


def _stage(stage: int | None) -> str:
    return str(Stage(stage).label) if stage else ""


def timeline(enrollment: Enrollment) -> list[dict[str, Any]]:
    """Every event of the client's timeline, oldest first, with its sentence and free text."""
    rows = []
    for event in enrollment.timeline.select_related("actor").order_by("created_at", "id"):
        try:
            label = str(event_kinds.get(event.kind).label)
        except KeyError:
            label = event.kind
        rows.append(
            {
                "at": event.created_at,
                "kind": event.kind,
                "what": label,
                "text": event.summary,
                "by": event.actor.name if event.actor else "",
                "detail": event.detail,
            }
        )
    return rows


def stage_history(enrollment: Enrollment) -> list[dict[str, Any]]:
    changes = StageChange.objects.filter(enrollment=enrollment).select_related("changed_by")
    return [
        {
            "at": change.created_at,
            "from_stage": change.from_stage,
            "to_stage": change.to_stage,
            "from": _stage(change.from_stage),
            "to": _stage(change.to_stage),
            "by": change.changed_by.name,
            "reason": change.reason,
        }
        for change in changes.order_by("created_at", "id")
    ]


def risk_alerts(enrollment: Enrollment) -> list[dict[str, Any]]:
    alerts = RiskAlert.objects.filter(enrollment=enrollment).select_related("acknowledged_by")
    return [
        {
            "raised_at": alert.created_at,
            "kind": alert.kind,
            "summary": alert.summary,
            "source": alert.source_label,
            "status": alert.status,
            "severity": alert.severity,
            "acknowledged_at": alert.acknowledged_at,
            "acknowledged_by": alert.acknowledged_by.name if alert.acknowledged_by else "",
            "note": alert.note,
            "escalation_level": alert.escalation_level,
        }
        for alert in alerts.order_by("created_at", "id")
    ]


def measures(enrollment: Enrollment) -> list[dict[str, Any]]:
    """Each completed questionnaire, oldest first within each, with its change since the first."""
    rows = []
    for history in results.histories(enrollment):
        for row in history.table:
            form: Administration = row["form"]
            rows.append(
                {
                    "completed_at": form.completed_at,
                    "instrument": history.entry.id,
                    "questionnaire": history.entry.instrument.title,
                    "total": form.total,
                    "band": form.band,
                    "change_since_first": row["verdict"],
                }
            )
    return rows


def _notes_source() -> Callable[[Enrollment], Any] | None:
    """``notes_for_export`` of the session-notes app, when it has one (looked up at run time)."""
    try:
        module = importlib.import_module("waypost.caseload.notes.selectors")
    except ImportError:
        return None
    found = getattr(module, "notes_for_export", None)
    return found if callable(found) else None


def session_notes(enrollment: Enrollment) -> tuple[bool, Any]:
    """(True, the notes) when the session-notes app offers them for export, else (False, [])."""
    source = _notes_source()
    if source is None:
        return False, []
    return True, source(enrollment)


# --- FHIR -------------------------------------------------------------------------------


def validate_r4(resource: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless ``resource`` is valid FHIR R4 (R4B) of its type."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        model = get_fhir_model_class(str(resource.get("resourceType", "")))
    except (KeyError, ValueError) as exc:
        raise ValueError(f"unknown resourceType {resource.get('resourceType')!r}") from exc
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValueError(".".join(str(p) for p in first["loc"]) + ": " + first["msg"]) from None


def _urn(key: str) -> str:
    return f"urn:uuid:{uuid5(NAMESPACE_URL, key)}"


def _resources(form: Administration) -> list[tuple[str, dict[str, Any]]]:
    """The form's resources with their ``fullUrl``: the answers, then the score."""
    response = fhir.questionnaire_response(form)
    found = [(f"urn:uuid:{form.uuid}", response)]
    if form.total is not None and form.completed_at is not None:
        observation = fhir.observation(form)
        # Inside the Bundle the score points at the answers by their fullUrl.
        for reference in observation.get("derivedFrom", []):
            reference["reference"] = f"urn:uuid:{form.uuid}"
        found.append((_urn(f"waypost:observation:{observation['id']}"), observation))
    return found


def fhir_bundle(
    enrollment: Enrollment, *, now: datetime
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The completed questionnaires as a FHIR R4 Bundle (collection), and what was left out."""
    entries: list[dict[str, Any]] = []
    left_out: list[dict[str, str]] = []
    for form in results.completed_forms(enrollment):
        if form.entry is None:
            left_out.append({"form": str(form.uuid), "problem": "questionnaire not installed"})
            continue
        try:
            resources = _resources(form)
        except ValueError as exc:
            left_out.append({"form": str(form.uuid), "problem": str(exc)})
            continue
        for full_url, resource in resources:
            try:
                validate_r4(resource)
            except ValueError as exc:
                left_out.append({"form": str(form.uuid), "problem": str(exc)})
                continue
            entries.append({"fullUrl": full_url, "resource": resource})
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": str(uuid5(NAMESPACE_URL, f"waypost:record:{enrollment.pk}:{now.isoformat()}")),
        "meta": {"tag": [{"system": "http://hl7.org/fhir/FHIR-version", "code": FHIR_VERSION}]},
        "type": "collection",
        "timestamp": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "entry": entries,
    }
    validate_r4(bundle)
    return bundle, left_out


# --- the whole document -------------------------------------------------------------------


def check_ins(enrollment: Enrollment) -> list[dict[str, Any]]:
    """Each day's answers, as the record's charts show them (the client's note stays theirs)."""
    from waypost.recovery.models import CheckIn

    return [
        {
            "day": row.local_date,
            "kept_inner_circle": row.sober,
            "mood": row.mood,
            "urge": row.urge,
            "sleep_hours": None if row.sleep_hours is None else float(row.sleep_hours),
            "mindfulness_minutes": row.mindfulness_minutes,
        }
        for row in CheckIn.objects.filter(enrollment=enrollment).order_by("local_date", "pk")
    ]


def homework_done(enrollment: Enrollment, now: datetime) -> list[dict[str, Any]]:
    """Everything set for the client, from every homework source, with where it stands."""
    today = timezone.localdate(now, timezone=_zone(enrollment))
    return [
        {
            "source": str(group.source.label),
            "kind": shown.item.kind_label,
            "title": shown.item.title,
            "set_on": shown.item.set_on,
            "due": shown.item.due,
            "completed_on": shown.item.completed_on,
            "status": shown.status,
        }
        for group in homework.homework_for(enrollment, today=today)
        for shown in [*group.pending, *group.finished]
    ]


def _zone(enrollment: Enrollment) -> Any:
    from waypost.core.timezones import first_zone

    return first_zone(enrollment.client.time_zone, enrollment.clinic.time_zone)


def document(enrollment: Enrollment, *, by: User, now: datetime) -> dict[str, Any]:
    """The whole record as plain JSON data (``core.exports.plain`` applied)."""
    client = enrollment.client
    notes_included, notes = session_notes(enrollment)
    bundle, left_out = fhir_bundle(enrollment, now=now)
    primary = enrollment.primary_clinician
    record: dict[str, Any] = {
        "timeline": timeline(enrollment),
        "stage_history": stage_history(enrollment),
        "risk_alerts": risk_alerts(enrollment),
        "measures": measures(enrollment),
        "check_ins": check_ins(enrollment),
        "homework": homework_done(enrollment, now),
    }
    if notes_included:
        record["session_notes"] = notes
    whole: dict[str, Any] = exports.plain(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": now,
            "exported_by": by.name,
            "client": {"name": client.name, "email": client.email},
            "enrollment": {
                "id": enrollment.pk,
                "clinic": enrollment.clinic.name,
                "primary_clinician": primary.user.name if primary else "",
                "stage": enrollment.stage,
                "stage_name": _stage(enrollment.stage),
                "stage_entered_at": enrollment.stage_entered_at,
                "status": enrollment.status,
                "joined_at": enrollment.created_at,
            },
            "record": record,
            "session_notes_included": notes_included,
            "fhir": bundle,
            "fhir_left_out": left_out,
        }
    )
    return whole


def filename(now: datetime, suffix: str) -> str:
    """Discreet: no name, nothing about what the program is for."""
    return f"waypost-record-{timezone.localtime(now).date().isoformat()}{suffix}"
