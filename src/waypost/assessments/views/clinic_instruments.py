"""The clinic admin's own questionnaires: upload, check, preview, worked examples, publish.

Under **Clinic → Measures → Your clinic's questionnaires**. Only the clinic's
admins get in (``Action.MANAGE_INSTRUMENTS``, through ``clinic_for``); every
write is a service in ``services/clinic_instruments.py``, which holds the rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action
from waypost.assessments import instrument_check, scoring
from waypost.assessments.forms import ExampleForm, ExamplesFileForm, InstrumentUploadForm
from waypost.assessments.instrument_problems import Problem
from waypost.assessments.models import ClinicInstrument, ClinicInstrumentEvent
from waypost.assessments.services import clinic_instruments as service

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.clinics.models import Clinic


def _clinic(request: HttpRequest, slug: str) -> Clinic:
    from waypost.clinics.views._access import clinic_for

    return clinic_for(request, slug, Action.MANAGE_INSTRUMENTS)


def _version(clinic: Clinic, instrument_id: str, revision: int) -> ClinicInstrument:
    return get_object_or_404(
        ClinicInstrument.objects.select_related("clinic", "uploaded_by"),
        clinic=clinic,
        instrument_id=instrument_id,
        revision=revision,
    )


@dataclass
class Row:
    """One questionnaire of the clinic on the list: its newest version and the live one."""

    latest: ClinicInstrument
    published: ClinicInstrument | None
    count: int


@login_required
@require_safe
def index(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    clinic = _clinic(request, slug)
    rows: dict[str, Row] = {}
    for version in (
        ClinicInstrument.objects.filter(clinic=clinic)
        .select_related("uploaded_by")
        .defer("content")
        .order_by("instrument_id", "-revision")
    ):
        row = rows.get(version.instrument_id)
        if row is None:
            row = rows[version.instrument_id] = Row(latest=version, published=None, count=0)
        row.count += 1
        if version.status == ClinicInstrument.Status.PUBLISHED:
            row.published = version
    return render(
        request,
        "assessments/clinic_instruments/index.html",
        {"clinic": clinic, "rows": list(rows.values())},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A questionnaire file: refused with every problem named, or kept as a draft."""
    clinic = _clinic(request, slug)
    posted = request.method == "POST"
    form = InstrumentUploadForm(request.POST if posted else None, request.FILES if posted else None)
    problems: tuple[Problem, ...] = ()
    refusal = ""
    if posted:
        if form.is_valid():
            try:
                version = service.upload(
                    clinic=clinic, raw=form.cleaned_data["file"], by=request.user
                )
            except service.InstrumentRefused as exc:
                refusal, problems = exc.message, exc.problems
            else:
                messages.success(
                    request,
                    _(
                        "Saved as version %(n)d, a draft. It passes every check: preview it, "
                        "add worked examples, then publish it."
                    )
                    % {"n": version.revision},
                )
                return redirect(
                    "assessments:clinic_instrument",
                    slug=clinic.slug,
                    instrument_id=version.instrument_id,
                    revision=version.revision,
                )
        name = getattr(request.FILES.get("file"), "name", "")
        return render(
            request,
            "assessments/clinic_instruments/upload.html",
            {
                "clinic": clinic,
                "form": form,
                "problems": problems,
                "refusal": refusal,
                "file_name": name,
            },
            status=400,
        )
    return render(
        request, "assessments/clinic_instruments/upload.html", {"clinic": clinic, "form": form}
    )


def _detail(
    request: HttpRequest,
    version: ClinicInstrument,
    *,
    example_form: ExampleForm | None = None,
    examples_file: ExamplesFileForm | None = None,
    example_problems: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    checked = service.review(version)
    entry = checked.entry
    context: dict[str, Any] = {
        "clinic": version.clinic,
        "version": version,
        "review": checked,
        "entry": entry,
        "editable": version.status == ClinicInstrument.Status.DRAFT,
        "versions": ClinicInstrument.objects.filter(
            clinic=version.clinic, instrument_id=version.instrument_id
        )
        .defer("content")
        .order_by("-revision"),
        "events": ClinicInstrumentEvent.objects.filter(
            clinic=version.clinic, version__instrument_id=version.instrument_id
        )
        .select_related("actor", "version")
        .defer("version__content", "version__examples")
        .order_by("-created_at", "-id")[:50],
        "example_problems": example_problems or [],
        "status_code": status,
    }
    if entry is not None:
        instrument = entry.instrument
        context.update(
            example_form=example_form or ExampleForm(instrument=instrument),
            examples_file=examples_file or ExamplesFileForm(),
            low_high=[scoring.plain_number(x) for x in instrument.range],
            notes=instrument_check.notes_on(entry),
        )
    return render(request, "assessments/clinic_instruments/detail.html", context, status=status)


@login_required
@require_safe
def detail(
    request: AuthenticatedHttpRequest, slug: str, instrument_id: str, revision: int
) -> HttpResponse:
    """One version: the file's summary, its worked examples checked, publish or withdraw."""
    clinic = _clinic(request, slug)
    return _detail(request, _version(clinic, instrument_id, revision))


@login_required
@require_safe
def preview(
    request: AuthenticatedHttpRequest, slug: str, instrument_id: str, revision: int
) -> HttpResponse:
    """Every question as a client sees it, on one page; answering here saves nothing."""
    clinic = _clinic(request, slug)
    version = _version(clinic, instrument_id, revision)
    entry = service.review(version).entry
    return render(
        request,
        "assessments/clinic_instruments/preview.html",
        {
            "clinic": clinic,
            "version": version,
            "entry": entry,
            "items": list(enumerate(entry.instrument.items, start=1)) if entry else [],
        },
    )


def _back(version: ClinicInstrument) -> HttpResponse:
    return redirect(
        "assessments:clinic_instrument",
        slug=version.clinic.slug,
        instrument_id=version.instrument_id,
        revision=version.revision,
    )


@login_required
@require_POST
def add_example(
    request: AuthenticatedHttpRequest, slug: str, instrument_id: str, revision: int
) -> HttpResponse:
    """One worked example typed in, or an examples file: checked at once, kept with the draft."""
    clinic = _clinic(request, slug)
    version = _version(clinic, instrument_id, revision)
    entry = service.review(version).entry
    if entry is None:
        messages.error(request, _("This version's file no longer passes the checks."))
        return _back(version)
    examples: list[instrument_check.Example] = []
    example_form: ExampleForm | None = None
    examples_file: ExamplesFileForm | None = None
    problems: list[Problem] = []
    if "file" in request.FILES or request.POST.get("source") == "file":
        examples_file = ExamplesFileForm(request.POST, request.FILES)
        if examples_file.is_valid():
            data, problems = instrument_check.read_json(examples_file.cleaned_data["file"])
            if not problems:
                examples, problems = instrument_check.read_examples(data, entry.instrument)
    else:
        example_form = ExampleForm(request.POST, instrument=entry.instrument)
        if example_form.is_valid():
            try:
                examples = [example_form.example()]
            except instrument_check.ExampleError as exc:
                example_form.add_error(None, str(exc))
    if examples:
        try:
            service.add_examples(version=version, examples=examples, by=request.user)
        except service.InstrumentRefused as exc:
            messages.error(request, exc.message)
            return _back(version)
        messages.success(
            request,
            _("Example added. Its result is checked below.")
            if len(examples) == 1
            else _("%(n)d examples added. Their results are checked below.") % {"n": len(examples)},
        )
        return _back(version)
    return _detail(
        request,
        version,
        example_form=example_form,
        examples_file=examples_file,
        example_problems=problems,
        status=400,
    )


@login_required
@require_POST
def remove_example(
    request: AuthenticatedHttpRequest, slug: str, instrument_id: str, revision: int, position: int
) -> HttpResponse:
    clinic = _clinic(request, slug)
    version = _version(clinic, instrument_id, revision)
    try:
        service.remove_example(version=version, position=position, by=request.user)
    except service.InstrumentRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Example removed."))
    return _back(version)


@login_required
@require_POST
def publish(
    request: AuthenticatedHttpRequest, slug: str, instrument_id: str, revision: int
) -> HttpResponse:
    clinic = _clinic(request, slug)
    version = _version(clinic, instrument_id, revision)
    try:
        version = service.publish(version=version, by=request.user)
    except service.InstrumentRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Published. Clinicians at %(clinic)s can now give %(name)s to their clients; "
                "you can add it to the questionnaires for new clients."
            )
            % {"clinic": clinic.name, "name": version.short_name},
        )
    return _back(version)


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, slug: str, instrument_id: str) -> HttpResponse:
    clinic = _clinic(request, slug)
    if not ClinicInstrument.objects.filter(clinic=clinic, instrument_id=instrument_id).exists():
        raise Http404
    try:
        version = service.withdraw(clinic=clinic, instrument_id=instrument_id, by=request.user)
    except service.InstrumentRefused as exc:
        messages.error(request, exc.message)
        return redirect("assessments:clinic_instruments", slug=clinic.slug)
    messages.success(
        request,
        _(
            "Withdrawn. Nobody can be given it now and its schedules have ended; forms "
            "already open stay open until they close, and every score stays in the records."
        ),
    )
    return _back(version)


@login_required
@require_safe
def download(
    request: AuthenticatedHttpRequest, slug: str, instrument_id: str, revision: int
) -> HttpResponse:
    """The file exactly as uploaded, to correct and upload again."""
    clinic = _clinic(request, slug)
    version = _version(clinic, instrument_id, revision)
    return _attachment(version.content, f"{version.instrument_id}.v{version.revision}.json")


@login_required
@require_safe
def download_examples(
    request: AuthenticatedHttpRequest, slug: str, instrument_id: str, revision: int
) -> HttpResponse:
    """The worked examples as ``waypost instruments check --examples`` reads them."""
    clinic = _clinic(request, slug)
    version = _version(clinic, instrument_id, revision)
    text = json.dumps(version.examples, indent=2, ensure_ascii=False) + "\n"
    return _attachment(text, f"{version.instrument_id}.v{version.revision}.examples.json")


def _attachment(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
