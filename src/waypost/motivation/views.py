"""Pages of the motivation tools, for the client and for their clinician in session.

Who may do what
- the client: their own tools (``Action.VIEW_OWN``), under /motivation/;
- their primary clinician: every tool under /clients/<id>/motivation/, reading
  with ``Action.VIEW_RECORD`` (audited) and filling any tool with the client
  in session with ``Action.ASSIGN_WORK`` (audited, marked "in session");
- everyone else: refused (another clinician's client is a 404); allies see
  nothing of these tools.
Both sides share one page per tool; ``Seat`` says whose side the page is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, require, roles_of
from waypost.core import events as core_events
from waypost.motivation import events, selectors, services, tools
from waypost.motivation.forms import (
    AskForm,
    BalanceForm,
    NotesForm,
    ReadinessForm,
    SortForm,
    StageForm,
    TopForm,
)
from waypost.motivation.models import DecisionalBalance, MotivationRequest, ValuesCardSort
from waypost.motivation.tools import MotivationContentError
from waypost.program.models import Enrollment
from waypost.program.selectors import record_of_client

PAGES = (
    "overview",
    "readiness",
    "balance",
    "balance_edit",
    "values",
    "values_sort",
    "values_top",
    "values_notes",
    "stage",
)


@dataclass(frozen=True)
class Seat:
    """Whose side a page is on: the client's own, or their clinician's (in session)."""

    enrollment: Enrollment
    for_client: bool

    def url(self, page: str, *args: object) -> str:
        """The page's address on this side: ``/motivation/…`` or ``/clients/<id>/motivation/…``."""
        if self.for_client:
            return reverse(f"motivation:{page}", args=args)
        return reverse(f"motivation:client_{page}", args=[self.enrollment.pk, *args])

    @property
    def urls(self) -> dict[str, str]:
        return {page: self.url(page) for page in PAGES}


def _own(request: HttpRequest) -> Seat:
    enrollment = roles_of(request.user).enrollment
    if enrollment is None:
        raise PermissionDenied
    require(request.user, Action.VIEW_OWN, enrollment)
    return Seat(enrollment, for_client=True)


def _clients(request: HttpRequest, enrollment_id: int, *, write: bool = False) -> Seat:
    """A client of the signed-in primary clinician (404 for anyone else's)."""
    writing = write or request.method == "POST"
    actions = (Action.ASSIGN_WORK,) if writing else ()
    return Seat(record_of_client(request.user, enrollment_id, *actions), for_client=False)


def _viewed(request: HttpRequest, seat: Seat, what: str) -> None:
    """Audit a clinician's look at the client's tools (a client's own look is not recorded)."""
    if not seat.for_client and request.method == "GET":
        core_events.record_view(
            actor=request.user, enrollment=seat.enrollment, what=what, path=request.path
        )


def _posted(request: HttpRequest):
    """The form data of a POST, even an empty one (so an empty POST gets its messages)."""
    return request.POST if request.method == "POST" else None


def _context(seat: Seat, **extra: object) -> dict:
    return {
        "seat": seat,
        "enrollment": seat.enrollment,
        "for_client": seat.for_client,
        "urls": seat.urls,
        **extra,
    }


def _saved(request: HttpRequest, seat: Seat, client_text: str) -> None:
    messages.success(
        request,
        client_text if seat.for_client else _("Saved, and marked as done together in session."),
    )


# --- overview ----------------------------------------------------------------------


def _overview(request: HttpRequest, seat: Seat) -> HttpResponse:
    _viewed(request, seat, events.OVERVIEW)
    state = selectors.overview(seat.enrollment, with_clinician_view=not seat.for_client)
    return render(
        request,
        "motivation/overview.html",
        _context(
            seat,
            state=state,
            ruler=selectors.ruler(),
            tools=[(t.value, t.label) for t in MotivationRequest.Tool],
            history=None if seat.for_client else selectors.readiness_history(seat.enrollment),
        ),
    )


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """The client's four tools, each with where they are now."""
    return _overview(request, _own(request))


@login_required
@require_safe
def client_overview(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician's view of all four tools, with "do it together now" (audited)."""
    return _overview(request, _clients(request, enrollment_id))


@login_required
@require_POST
def client_ask(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Ask the client to use a tool before you next meet, or take the request back."""
    seat = _clients(request, enrollment_id, write=True)
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose one of the four tools."))
        return redirect(seat.url("overview"))
    tool = form.cleaned_data["tool"]
    label = MotivationRequest.Tool(tool).label
    if form.cleaned_data["withdraw"]:
        if services.withdraw_request(
            enrollment=seat.enrollment, tool=tool, by=request.user, path=request.path
        ):
            messages.success(request, _("Request taken back: %(tool)s.") % {"tool": label})
        else:
            messages.info(request, _("There was no open request for that tool."))
    else:
        _request, new = services.ask_client(
            enrollment=seat.enrollment, tool=tool, by=request.user, path=request.path
        )
        if new:
            messages.success(
                request,
                _("Asked. %(name)s will see “%(tool)s” on their Today page.")
                % {"name": seat.enrollment.client.name, "tool": label},
            )
        else:
            messages.info(request, _("You had already asked for that."))
    return redirect(seat.url("overview"))


# --- readiness ruler ---------------------------------------------------------------


def _readiness(request: HttpRequest, seat: Seat) -> HttpResponse:
    ruler = selectors.ruler()
    form = ReadinessForm(_posted(request), ruler=ruler)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                form_row = services.record_readiness(
                    enrollment=seat.enrollment,
                    value=form.cleaned_data["readiness"],
                    by=request.user,
                    path=request.path,
                )
            except MotivationContentError as exc:
                form.add_error(None, str(exc))
            else:
                _saved(
                    request,
                    seat,
                    _("Thank you. You said %(n)s today; it is kept with your earlier answers.")
                    % {"n": form_row.total_display},
                )
                return redirect(seat.url("readiness"))
        status = 400
    _viewed(request, seat, events.READINESS)
    history = selectors.readiness_history(seat.enrollment)
    in_session = [f for f in history.forms if f.source == "session"] if history else []
    return render(
        request,
        "motivation/readiness.html",
        _context(seat, form=form, ruler=ruler, history=history, in_session=in_session),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request: HttpRequest) -> HttpResponse:
    return _readiness(request, _own(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_readiness(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    return _readiness(request, _clients(request, enrollment_id))


# --- decisional balance ------------------------------------------------------------


def _balance(request: HttpRequest, seat: Seat, version: int | None) -> HttpResponse:
    versions = list(selectors.balance_versions(seat.enrollment).defer("content"))
    if version is None:
        balance = selectors.latest_balance(seat.enrollment)
        _viewed(request, seat, events.BALANCE)
    else:
        balance = get_object_or_404(DecisionalBalance, enrollment=seat.enrollment, version=version)
        _viewed(request, seat, f"{events.BALANCE_VERSION}: {version}")
    latest = versions[0].version if versions else None
    return render(
        request,
        "motivation/balance.html",
        _context(
            seat,
            balance=balance,
            is_latest=balance is not None and balance.version == latest,
            versions=[(v, seat.url("balance_version", v.version)) for v in versions],
        ),
    )


@login_required
@require_safe
def balance(request: HttpRequest) -> HttpResponse:
    return _balance(request, _own(request), None)


@login_required
@require_safe
def balance_version(request: HttpRequest, version: int) -> HttpResponse:
    return _balance(request, _own(request), version)


@login_required
@require_safe
def client_balance(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    return _balance(request, _clients(request, enrollment_id), None)


@login_required
@require_safe
def client_balance_version(request: HttpRequest, enrollment_id: int, version: int) -> HttpResponse:
    return _balance(request, _clients(request, enrollment_id), version)


def _balance_edit(request: HttpRequest, seat: Seat) -> HttpResponse:
    latest = selectors.latest_balance(seat.enrollment)
    status = 200
    if request.method == "POST" and "more" in request.POST:
        # More empty lines, keeping what was typed; nothing is saved yet.
        form = BalanceForm(request.POST, more=True)
        form.more_lines = True
    elif request.method == "POST":
        form = BalanceForm(request.POST)
        if form.is_valid():
            try:
                services.save_balance(
                    enrollment=seat.enrollment,
                    content=form.content(),
                    by=request.user,
                    path=request.path,
                )
            except MotivationContentError as exc:
                form.add_error(None, str(exc))
            else:
                _saved(request, seat, _("Your decisional balance is saved."))
                return redirect(seat.url("balance"))
        status = 400
    else:
        form = BalanceForm(balance=latest)
        _viewed(request, seat, events.BALANCE)
    return render(
        request,
        "motivation/balance_edit.html",
        _context(seat, form=form, balance=latest),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def balance_edit(request: HttpRequest) -> HttpResponse:
    return _balance_edit(request, _own(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_balance_edit(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    return _balance_edit(request, _clients(request, enrollment_id, write=True))


# --- values card sort --------------------------------------------------------------


def _values(request: HttpRequest, seat: Seat, version: int | None) -> HttpResponse:
    versions = list(selectors.sort_versions(seat.enrollment).defer("content"))
    if version is None:
        sort = selectors.latest_sort(seat.enrollment)
        _viewed(request, seat, events.VALUES)
    else:
        sort = get_object_or_404(ValuesCardSort, enrollment=seat.enrollment, version=version)
        _viewed(request, seat, f"{events.VALUES_VERSION}: {version}")
    latest = versions[0].version if versions else None
    return render(
        request,
        "motivation/values.html",
        _context(
            seat,
            sort=sort,
            is_latest=sort is not None and sort.version == latest,
            top=selectors.top_values(sort),
            piles=selectors.piles(sort),
            versions=[(v, seat.url("values_version", v.version)) for v in versions],
            max_top=tools.MAX_TOP_VALUES,
        ),
    )


@login_required
@require_safe
def values(request: HttpRequest) -> HttpResponse:
    return _values(request, _own(request), None)


@login_required
@require_safe
def values_version(request: HttpRequest, version: int) -> HttpResponse:
    return _values(request, _own(request), version)


@login_required
@require_safe
def client_values(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    return _values(request, _clients(request, enrollment_id), None)


@login_required
@require_safe
def client_values_version(request: HttpRequest, enrollment_id: int, version: int) -> HttpResponse:
    return _values(request, _clients(request, enrollment_id), version)


def _values_sort(request: HttpRequest, seat: Seat) -> HttpResponse:
    latest = selectors.latest_sort(seat.enrollment)
    form = SortForm(_posted(request), sort=latest)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_sort(
                    enrollment=seat.enrollment,
                    piles=form.piles(),
                    by=request.user,
                    path=request.path,
                )
            except MotivationContentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Cards sorted. Now choose your top values."))
                return redirect(seat.url("values_top"))
        status = 400
    else:
        _viewed(request, seat, events.VALUES)
    return render(
        request,
        "motivation/values_sort.html",
        _context(seat, form=form, sort=latest),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def values_sort(request: HttpRequest) -> HttpResponse:
    return _values_sort(request, _own(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_values_sort(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    return _values_sort(request, _clients(request, enrollment_id, write=True))


def _values_top(request: HttpRequest, seat: Seat) -> HttpResponse:
    latest = selectors.latest_sort(seat.enrollment)
    if latest is None or not tools.top_candidates(latest.piles):
        if request.method == "POST":
            messages.error(request, _("Please sort the cards first."))
        return redirect(seat.url("values_sort"))
    form = TopForm(_posted(request), sort=latest)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_top(
                    enrollment=seat.enrollment,
                    cards=form.cleaned_data["values"],
                    by=request.user,
                    path=request.path,
                )
            except MotivationContentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Top values kept."))
                return redirect(seat.url("values_notes"))
        status = 400
    else:
        _viewed(request, seat, events.VALUES)
    return render(
        request,
        "motivation/values_top.html",
        _context(seat, form=form, sort=latest, max_top=tools.MAX_TOP_VALUES),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def values_top(request: HttpRequest) -> HttpResponse:
    return _values_top(request, _own(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_values_top(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    return _values_top(request, _clients(request, enrollment_id, write=True))


def _values_notes(request: HttpRequest, seat: Seat) -> HttpResponse:
    latest = selectors.latest_sort(seat.enrollment)
    if latest is None or not latest.top:
        if request.method == "POST":
            messages.error(request, _("Please choose your top values first."))
        return redirect(seat.url("values_top"))
    form = NotesForm(_posted(request), sort=latest)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_top_notes(
                    enrollment=seat.enrollment,
                    notes=form.notes(),
                    by=request.user,
                    path=request.path,
                )
            except MotivationContentError as exc:
                form.add_error(None, str(exc))
            else:
                _saved(request, seat, _("Your values are saved."))
                return redirect(seat.url("values"))
        status = 400
    else:
        _viewed(request, seat, events.VALUES)
    return render(
        request,
        "motivation/values_notes.html",
        _context(seat, form=form, sort=latest),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def values_notes(request: HttpRequest) -> HttpResponse:
    return _values_notes(request, _own(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_values_notes(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    return _values_notes(request, _clients(request, enrollment_id, write=True))


# --- stage of change -----------------------------------------------------------------


def _stage(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = StageForm(_posted(request), for_client=seat.for_client)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_stage(
                    enrollment=seat.enrollment,
                    stage=form.cleaned_data["stage"],
                    note=form.cleaned_data["note"],
                    view=form.cleaned_data.get("view", "client"),
                    by=request.user,
                    path=request.path,
                )
            except MotivationContentError as exc:
                form.add_error(None, str(exc))
            else:
                _saved(request, seat, _("Kept. You can come back to this whenever it shifts."))
                return redirect(seat.url("stage"))
        status = 400
    _viewed(request, seat, events.STAGE)
    entries = selectors.stage_entries(seat.enrollment, with_clinician_view=not seat.for_client)
    return render(
        request,
        "motivation/stage.html",
        _context(seat, form=form, entries=entries),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage(request: HttpRequest) -> HttpResponse:
    return _stage(request, _own(request))


@login_required
@require_http_methods(["GET", "POST"])
def client_stage(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    return _stage(request, _clients(request, enrollment_id))
