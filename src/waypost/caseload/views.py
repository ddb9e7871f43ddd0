"""The clinician's caseload and client record."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, require, roles_of
from waypost.accounts.models import Invitation
from waypost.accounts.services import (
    InvitationError,
    create_invitation,
    revoke_invitation,
)
from waypost.accounts.services import (
    resend_invitation as do_resend_invitation,
)
from waypost.caseload import events as caseload_events
from waypost.caseload.forms import InviteClientForm, StageChangeForm
from waypost.caseload.selectors import pending_client_invitations
from waypost.core import clinic_pages, columns, events
from waypost.program import gates
from waypost.program.models import Enrollment, Stage
from waypost.program.selectors import record_of_client, visible_enrollments
from waypost.program.services import StageChangeError
from waypost.program.services import change_stage as do_change_stage

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from waypost.accounts.http import AuthenticatedHttpRequest


def _record(request: HttpRequest, enrollment_id: int) -> Enrollment:
    return record_of_client(request.user, enrollment_id, path=request.path)


def _record_context(enrollment: Enrollment, form: StageChangeForm) -> dict[str, Any]:
    return {
        "enrollment": enrollment,
        "checklist": gates.checklist(enrollment),
        "changes": enrollment.stage_changes.select_related("changed_by"),
        "events": enrollment.timeline.select_related("actor")[:50],
        "form": form,
        "allies": enrollment.ally_links.filter(ended_at__isnull=True).select_related("ally"),
    }


# The caseload's own ways to sort, beside the columns' keys (core.columns).
ATTENTION, NAME, STAGE, DAYS = "attention", "name", "stage", "days"
# Rows per page: a screenful or two, and the audit of a page stays one insert.
PAGE_SIZE = 50
SEARCH_MAX_LENGTH = 100
# What the caseload reads of each listed client's enrollment, account and clinic (read for
# hundreds of rows: the clinic's settings and the rest of the account stay behind). A
# column that reads more must add it here; the query-count tests catch one that does not.
CASELOAD_FIELDS = (
    *(field.name for field in Enrollment._meta.concrete_fields),
    "client__name",
    "client__email",
    "client__last_login",
    "client__time_zone",
    "client__language",
    "clinic__name",
    "clinic__slug",
    "clinic__time_zone",
    "clinic__alert_overdue_hours",
)


@dataclass(frozen=True)
class CaseloadView:
    """What the clinician asked the caseload for, from the URL (so it can be bookmarked).

    Anything unknown or malformed is left out: the usual order, no filter.
    """

    stage: str = ""  # "1" to "4", or "" for every stage
    search: str = ""  # part of a client's name
    attention_only: bool = False
    sort: str = ATTENTION
    descending: bool = True
    direction: str = ""  # "asc" or "desc" when asked for, "" for the sort's usual one

    def query(self, **changes: Any) -> str:
        """This view's URL query, with ``changes`` (``sort``, ``direction``, ``page``)."""
        page = changes.pop("page", None)
        view = replace(self, **changes)
        params = {
            "q": view.search,
            "stage": view.stage,
            "show": "attention" if view.attention_only else "",
            "sort": view.sort if view.sort != ATTENTION else "",
            "dir": view.direction,
            "page": page or "",
        }
        return "?" + urlencode({k: v for k, v in params.items() if v})


@dataclass(frozen=True)
class Header:
    """A column header: a link that sorts by it, when it sorts, and its aria-sort."""

    label: StrOrPromise
    key: str = ""
    url: str = ""
    aria_sort: str = ""  # "ascending" / "descending" on the column the list is sorted by

    @property
    def mark(self) -> str:
        return {"ascending": "▴", "descending": "▾"}.get(self.aria_sort, "")


def _usual_descending(sort: str, sortable: dict[str, columns.Column]) -> bool:
    """Whether a sort starts with the most: attention, days in stage, most columns."""
    if sort in (NAME, STAGE):
        return False
    if sort in sortable:
        return sortable[sort].descending
    return True


def _caseload_view(params: QueryDict, sortable: dict[str, columns.Column]) -> CaseloadView:
    stage = params.get("stage", "")
    sort = params.get("sort", "")
    if sort not in (ATTENTION, NAME, STAGE, DAYS) and sort not in sortable:
        sort = ATTENTION
    direction = params.get("dir", "")
    if direction not in ("asc", "desc"):
        direction = ""
    return CaseloadView(
        stage=stage if stage in {"1", "2", "3", "4"} else "",
        # Printable characters only: PostgreSQL refuses NUL in text, and no name has one.
        search=" ".join(
            "".join(c for c in params.get("q", "") if c.isprintable() or c.isspace()).split()
        )[:SEARCH_MAX_LENGTH],
        attention_only=params.get("show") == "attention",
        sort=sort,
        descending=direction == "desc" if direction else _usual_descending(sort, sortable),
        direction=direction,
    )


def _sort_value(
    view: CaseloadView, column_list: list[columns.Column]
) -> Callable[[Any], columns.SortValue | None]:
    if view.sort == ATTENTION:
        return columns.by_attention
    if view.sort == NAME:
        return lambda row: row.name.casefold()
    if view.sort == STAGE:
        return lambda row: row.stage
    if view.sort == DAYS:
        return lambda row: row.days_in_stage
    return columns.by_column([c.key for c in column_list].index(view.sort))


def _page_of_entries(
    request: HttpRequest,
    view: CaseloadView,
    listed: QuerySet[Enrollment],
    loaded: QuerySet[Enrollment],
    flags: dict[int, int],
) -> tuple[list[columns.Row], Page[columns.Entry]]:
    """The page of rows when no column's cells decide the order: the whole list ordered
    from a few fields of each client (one query, no models), then the page's enrollments
    loaded and their cells made (one query more, and each column's for fifty rows)."""
    now = timezone.now()
    entries = [
        columns.Entry(
            pk=pk,
            name=name,
            stage=stage,
            days_in_stage=max(0, (now - entered).days),
            attention=flags.get(pk, 0),
        )
        for pk, name, stage, entered in listed.values_list(
            "pk", "client__name", "stage", "stage_entered_at"
        )
    ]
    if view.attention_only:
        entries = [entry for entry in entries if entry.needs_attention]
    entries = columns.ordered(entries, _sort_value(view, []), descending=view.descending)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    found = loaded.in_bulk([entry.pk for entry in page.object_list])
    # (a client whose enrollment ended between the two queries is left out)
    _columns, table = columns.rows([found[e.pk] for e in page.object_list if e.pk in found])
    columns.settle(table, flags)
    return table, page


def _header(view: CaseloadView, label: StrOrPromise, key: str, usual_descending: bool) -> Header:
    if view.sort == key:
        descending = not view.descending
        aria = "descending" if view.descending else "ascending"
    else:
        descending, aria = usual_descending, ""
    url = view.query(sort=key, direction="desc" if descending else "asc")
    return Header(label=label, key=key, url=url, aria_sort=aria)


def _headers(view: CaseloadView, column_list: list[columns.Column]) -> dict[str, Any]:
    """The headers of the caseload's own columns and of every registered one."""
    return {
        "name": _header(view, _("Client"), NAME, usual_descending=False),
        "stage": _header(view, _("Stage"), STAGE, usual_descending=False),
        "days": _header(view, _("days"), DAYS, usual_descending=True),
        "columns": [
            _header(view, column.header, column.key, column.descending)
            if column.sorts
            else Header(label=column.header)
            for column in column_list
        ],
    }


def _escaped(value: object) -> str:
    """``conditional_escape`` without its lazy-string wrapper: text that is already HTML
    (a ``SafeString``) as it is, anything else escaped, quotes included."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


@dataclass(frozen=True)
class _Label:
    """A column's header, escaped for an attribute, and its weight in "needs attention"."""

    header: str
    weight: int

    @classmethod
    def of(cls, column: columns.Column) -> _Label:
        return cls(header=_escaped(column.header), weight=column.weight)


def _cell_html(label: _Label, cell: columns.Cell | None) -> str:
    """One cell of the table, escaped (written here rather than in the template: a page of
    fifty clients has hundreds, and the template language made them the page's slowest
    part; plain strings rather than ``format_html``, which took a tenth of the page).

    A cell that needs attention is marked when its column weighs in "needs attention";
    the column's header names the cell on a phone.
    """
    header, weight = label.header, label.weight
    if cell is None:
        return f'<td class="empty" data-label="{header}"><span class="muted">—</span></td>'
    if cell.pieces:
        # wrap between the pieces, never inside one ("PHQ-9 12↓")
        text = " · ".join(f'<span class="piece">{_escaped(p)}</span>' for p in cell.pieces)
    else:
        text = _escaped(cell.text)
    if cell.url:
        text = f'<a href="{_escaped(cell.url)}">{text}</a>'
    if cell.label:
        text = f'{text}<span class="visually-hidden"> ({_escaped(cell.label)})</span>'
    if cell.detail and cell.label:
        # screen readers hear the label instead
        text = f'{text}<span class="detail" aria-hidden="true">{_escaped(cell.detail)}</span>'
    elif cell.detail:
        text = f'{text}<span class="detail">{_escaped(cell.detail)}</span>'
    if cell.attention and weight:
        return f'<td class="flag" data-label="{header}">{text}</td>'
    return f'<td data-label="{header}">{text}</td>'


@dataclass(frozen=True)
class _RowWords:
    """What every row says the same, translated and escaped once for the page."""

    attention: str
    signed_in: str  # with %(when)s
    not_signed_in: str
    stage: str

    @classmethod
    def now(cls) -> _RowWords:
        return cls(
            attention=_escaped(_("needs attention")),
            signed_in=_("signed in %(when)s"),
            not_signed_in=_escaped(_("not signed in yet")),
            stage=_escaped(_("Stage")),
        )


def _row_html(row: columns.Row, record_url: str, cells: str, words: _RowWords) -> str:
    """One client's row: their name (to the record), when they last signed in, their stage
    and days in it, then the columns' cells (already escaped). Written here, as the cells
    are: the template language took a tenth of a fifty-row page for these few lines."""
    enrollment, client = row.enrollment, row.enrollment.client
    badge = (
        f' <span class="badge badge-warn">{words.attention}</span>' if row.needs_attention else ""
    )
    if client.last_login:
        when = formats.date_format(timezone.localtime(client.last_login), "j M")
        seen = _escaped(words.signed_in % {"when": when})
    else:
        seen = words.not_signed_in
    days = enrollment.days_in_stage
    in_stage = _escaped(
        ngettext("%(days)s day in stage", "%(days)s days in stage", days) % {"days": days}
    )
    opening = '<tr class="attention">' if row.needs_attention else "<tr>"
    return (
        f"{opening}\n"
        f'<th scope="row" class="col-client"><a href="{_escaped(record_url)}">'
        f"{_escaped(client.name)}</a>{badge}\n"
        f'<span class="detail">{seen}</span></th>\n'
        f'<td class="col-stage" data-label="{words.stage}"><span class="stage-no">'
        f"{enrollment.stage}</span> {_escaped(enrollment.stage_label)}\n"
        f'<span class="detail">{in_stage}</span></td>\n'
        f"{cells}\n</tr>"
    )


@login_required
@require_safe
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One row per client: stage, days in it, and what each app adds, "needs attention
    first" unless sorted otherwise; filtered by stage, name and attention; a page at a time.

    The number of queries does not depend on the number of clients or their history:
    each column loads its cells for every listed client at once, and the columns that
    neither weigh in "needs attention" nor sort the list only for the page shown
    (``core.columns``). Each client shown is recorded in their clinic's audit trail
    (viewed · Caseload).
    """
    require(request.user, Action.VIEW_CASELOAD)
    sortable = {column.key: column for column in columns.all_columns() if column.sorts}
    view = _caseload_view(request.GET, sortable)
    listed = visible_enrollments(request.user).filter(status=Enrollment.Status.ACTIVE)
    if view.stage:
        listed = listed.filter(stage=int(view.stage))
    if view.search:
        listed = listed.filter(client__name__icontains=view.search)
    listed = listed.select_related(None).order_by()
    loaded = listed.select_related("client", "clinic").only(*CASELOAD_FIELDS)
    column_list = columns.all_columns()
    with columns.loading():
        # Who needs attention, for every listed client, from each column's cheap answer.
        flags = columns.flagged(listed, column_list)
        # The cells every listed client needs before the list is ordered: those of the
        # column it is sorted by (when it is), else none; the rest for the page only.
        deciding = columns.deciding(column_list, view.sort)
        if deciding:
            column_list, table = columns.rows(list(loaded), keys=deciding)
            columns.settle(table, flags)
            if view.attention_only:
                table = [row for row in table if row.needs_attention]
            table = columns.ordered(
                table, _sort_value(view, column_list), descending=view.descending
            )
            page: Page[Any] = Paginator(table, PAGE_SIZE).get_page(request.GET.get("page"))
            shown = list(page.object_list)
            columns.fill(shown, skip=deciding)
        else:
            shown, page = _page_of_entries(request, view, listed, loaded, flags)
    # Who saw which clients listed: one audit row per client shown, in one query.
    events.record_list_view(
        actor=request.user,
        enrollments=[row.enrollment for row in shown],
        what=caseload_events.CASELOAD,
        path=request.path,
    )
    # (each column's header and weight, translated once rather than once per row)
    labels = [_Label.of(column) for column in column_list]
    words = _RowWords.now()
    record = columns.links("caseload:record")
    sorts: list[tuple[str, StrOrPromise]] = [
        (ATTENTION, _("Needs attention first")),
        (NAME, _("Name")),
        (STAGE, _("Stage")),
        (DAYS, _("Days in stage")),
    ]
    sorts += [(key, column.header) for key, column in sortable.items()]
    return render(
        request,
        "caseload/list.html",
        {
            "columns": column_list,
            # Each row with its cells, each named by its column (the phone's cards show it).
            # (every row's HTML escaped piece by piece: marked safe once, as the table body)
            "rows": mark_safe(  # noqa: S308
                "\n".join(
                    _row_html(
                        row,
                        record(row.enrollment.pk),
                        "".join(
                            _cell_html(label, cell)
                            for label, cell in zip(labels, row.cells, strict=True)
                        ),
                        words,
                    )
                    for row in shown
                )
            ),
            "page": page,
            "previous_url": view.query(page=page.previous_page_number())
            if page.has_previous()
            else "",
            "next_url": view.query(page=page.next_page_number()) if page.has_next() else "",
            "view": view,
            "headers": _headers(view, column_list),
            "sorts": sorts,
            "filtered": bool(view.stage or view.search or view.attention_only),
            "stages": Stage.choices,
            "invitations": pending_client_invitations(request.user),
            "now": timezone.now(),
            "clinic_links": _clinic_links(request),
        },
    )


def _clinic_links(request: AuthenticatedHttpRequest) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each clinic the clinician works at, with the clinic pages clinicians use there.

    (Group programmes, meeting lists: ``core.clinic_pages`` marks them ``for_clinicians``.)
    No query: the clinics come with the person's roles.
    """
    pages = clinic_pages.clinician_pages()
    if not pages:
        return []
    return [
        (
            profile.clinic.name,
            [
                (str(page.label), reverse(page.url_name, args=[profile.clinic.slug]))
                for page in pages
            ],
        )
        for profile in roles_of(request.user).clinician_profiles
    ]


@login_required
@require_http_methods(["GET", "POST"])
def invite_client(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    require(request.user, Action.VIEW_CASELOAD)
    clinics = [profile.clinic for profile in roles.clinician_profiles]
    form = InviteClientForm(request.POST or None, clinics=clinics)
    if request.method == "POST" and form.is_valid():
        # A valid form has one of the clinician's own clinics (the only one, or the chosen one).
        assert form.clinic is not None
        create_invitation(
            kind=Invitation.Kind.CLIENT,
            clinic=form.clinic,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            by=request.user,
        )
        messages.success(
            request,
            _("Invitation sent. The link works once and for %(days)d days.")
            % {"days": settings.INVITATION_DAYS},
        )
        return redirect("caseload:list")
    return render(
        request,
        "caseload/invite.html",
        {"form": form, "clinic": clinics[0], "several_clinics": len(clinics) > 1},
    )


def _own_invitation(request: AuthenticatedHttpRequest, invitation_id: int) -> Invitation:
    """A client invitation the signed-in clinician sent; 404 for anyone else's."""
    require(request.user, Action.VIEW_CASELOAD)
    invitation = get_object_or_404(
        Invitation.objects.select_related("clinic"),
        pk=invitation_id,
        kind=Invitation.Kind.CLIENT,
        invited_by=request.user,
    )
    require(request.user, Action.MANAGE_INVITATION, invitation)
    return invitation


@login_required
@require_POST
def resend_invitation(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """A new link by e-mail for a client who has not joined yet; the old link stops working."""
    invitation = _own_invitation(request, invitation_id)
    try:
        do_resend_invitation(invitation=invitation, by=request.user)
    except InvitationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "A new link is on its way to %(email)s. It works once and for %(days)d days; "
                "the earlier link no longer works."
            )
            % {"email": invitation.email, "days": settings.INVITATION_DAYS},
        )
    return redirect("caseload:list")


@login_required
@require_POST
def withdraw_invitation(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """Withdraw a client invitation: its link stops working, and the row keeps when."""
    invitation = _own_invitation(request, invitation_id)
    if revoke_invitation(invitation=invitation, by=request.user):
        messages.success(
            request,
            _("Invitation to %(email)s withdrawn. Its link no longer works.")
            % {"email": invitation.email},
        )
    else:
        messages.error(
            request,
            _("This invitation was already used or withdrawn, so nothing changed."),
        )
    return redirect("caseload:list")


@login_required
@require_safe
def client_record(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what="client record",
        path=request.path,
    )
    return render(
        request,
        "caseload/record.html",
        _record_context(enrollment, StageChangeForm(current_stage=enrollment.stage)),
    )


@login_required
@require_POST
def change_stage(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _record(request, enrollment_id)
    require(request.user, Action.CHANGE_STAGE, enrollment)
    form = StageChangeForm(request.POST, current_stage=enrollment.stage)
    if form.is_valid():
        try:
            do_change_stage(
                enrollment=enrollment,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except StageChangeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Stage changed and recorded."))
            return redirect("caseload:record", enrollment_id=enrollment.pk)
    return render(request, "caseload/record.html", _record_context(enrollment, form), status=400)
