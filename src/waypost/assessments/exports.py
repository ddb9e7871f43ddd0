"""Questionnaires in "download my data": every form with its answers and scores, and FHIR.

Each completed questionnaire also comes as two FHIR files, built by ``fhir`` as
the single downloads are: a QuestionnaireResponse (the answers) and an
Observation (the total score). The data page links each to its own download
(``assessments:export_response`` / ``export_observation``) when it belongs to
the client's current enrollment, the one those pages serve.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from waypost.access.policy import roles_of
from waypost.assessments import fhir, results
from waypost.assessments.models import Administration
from waypost.core import exports

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from waypost.accounts.models import User


def _forms(user: User) -> QuerySet[Administration]:
    return Administration.objects.filter(enrollment__client=user).order_by("-opens_at", "-pk")


def _answers(form: Administration) -> list[dict[str, Any]]:
    entry = form.entry
    if entry is None:
        return []
    given = form.answers
    rows = []
    for item in entry.instrument.items:
        if item.link_id not in given:
            continue
        option = item.option_for(given[item.link_id])
        rows.append(
            {
                "question": item.text,
                "answer": option.display if option else "",
                "score": given[item.link_id],
            }
        )
    return rows


def _paths(form: Administration) -> tuple[str, str]:
    stem = f"health-records/{form.instrument_id}-{form.pk}"
    return f"{stem}-questionnaire-response.json", f"{stem}-observation.json"


def _has_response(form: Administration) -> bool:
    return form.status == Administration.Status.COMPLETED and form.entry is not None


def _has_observation(form: Administration) -> bool:
    return _has_response(form) and form.total is not None and form.completed_at is not None


def questionnaires(user: User) -> list[dict[str, Any]]:
    out = []
    for form in _forms(user):
        entry = form.entry
        response_path, observation_path = _paths(form)
        out.append(
            {
                "questionnaire": form.plain_name,
                "short_name": form.short_name,
                "instrument": form.instrument_id,
                "status": str(Administration.Status(form.status).label),
                "filled_in": str(Administration.Source(form.source).label),
                "opened_at": form.opens_at,
                "closes_at": form.closes_at,
                "completed_at": form.completed_at,
                "total": form.total,
                "band": form.band,
                "subscales": [
                    {"name": s.name, "score": s.value}
                    for s in (results.subscale_scores(entry, form) if entry else [])
                ],
                "answers": _answers(form),
                "fhir_files": [
                    path
                    for path, present in (
                        (response_path, _has_response(form)),
                        (observation_path, _has_observation(form)),
                    )
                    if present
                ],
            }
        )
    return out


def _response_bytes(form: Administration) -> bytes:
    return exports.dumps(fhir.questionnaire_response(form))


def _observation_bytes(form: Administration) -> bytes:
    return exports.dumps(fhir.observation(form))


def fhir_files(user: User) -> list[exports.ExportFile]:
    """Each completed questionnaire's QuestionnaireResponse and Observation, newest first."""
    current = roles_of(user).enrollment
    current_id = current.pk if current else None
    out: list[exports.ExportFile] = []
    done = (
        _forms(user).filter(status=Administration.Status.COMPLETED).order_by("-completed_at", "-pk")
    )
    for form in done:
        if not _has_response(form):
            continue
        own = form.enrollment_id == current_id
        completed = timezone.localtime(form.completed_at) if form.completed_at else None
        group = f"{form.plain_name} ({form.short_name})" + (
            f", {date_format(completed, 'j M Y')}" if completed else ""
        )
        response_path, observation_path = _paths(form)
        out.append(
            exports.ExportFile(
                path=response_path,
                group=group,
                label=_("Answers"),
                content=partial(_response_bytes, form),
                url=reverse("assessments:export_response", args=[form.pk]) if own else "",
            )
        )
        if _has_observation(form):
            out.append(
                exports.ExportFile(
                    path=observation_path,
                    group=group,
                    label=_("Score"),
                    content=partial(_observation_bytes, form),
                    url=reverse("assessments:export_observation", args=[form.pk]) if own else "",
                )
            )
    return out


SECTION = exports.Section(
    key="questionnaires",
    title=_("Questionnaires"),
    order=30,
    collect=questionnaires,
    files=fhir_files,
    machine_only=frozenset({"instrument"}),
    description=_("Every questionnaire you were given: your answers, scores and what they mean."),
    labels={
        "questionnaire": _("Questionnaire"),
        "short_name": _("Short name"),
        "instrument": _("Instrument id"),
        "filled_in": _("Filled in"),
        "opened_at": _("Opened"),
        "closes_at": _("Closes"),
        "total": _("Total score"),
        "band": _("What the score means"),
        "subscales": _("Part scores"),
        "score": _("Score"),
        "answers": _("Your answers"),
        "question": _("Question"),
        "answer": _("Answer"),
        "fhir_files": _("FHIR files in this download"),
    },
)


def register() -> None:
    exports.register(SECTION)
