"""The clinic's "Meetings" page: feed sources, their last import, and meetings added by hand.

- ``clinic/<slug>/meetings/`` (GET): the sources with their last import (and the reason for
  each refused meeting), the meetings added by hand;
- ``…/sources/new/`` (GET, POST): a source: a feed's web address or an uploaded file,
  imported at once;
- ``…/sources/<id>/`` (GET, POST): change a source; ``…/import/`` (POST): import it now
  (a file source with a new copy of its file); ``…/remove/`` (GET asks, POST removes);
- ``…/new/``, ``…/<id>/edit/`` (GET, POST) and ``…/<id>/remove/`` (POST): meetings by hand.

The clinic's staff may use it (``Action.MANAGE_MEETINGS``: its admins and its
clinicians); the row of clinic admin tabs shows for admins only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waypost.access.policy import Action, can
from waypost.clinics.views._access import clinic_for
from waypost.connect.meetings import feed, reasons, services
from waypost.connect.meetings.forms import MeetingForm, SourceForm, UploadForm, initial_for
from waypost.connect.meetings.imports import ImportReport, import_feed
from waypost.connect.meetings.models import Meeting, MeetingSource
from waypost.core.errors import show_on_form

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.clinics.models import Clinic

STYLESHEET = "meetings/meetings.css"


def _clinic(request: HttpRequest, slug: str) -> Clinic:
    return clinic_for(request, slug, Action.MANAGE_MEETINGS)


def _source(clinic: Clinic, pk: int) -> MeetingSource:
    source = MeetingSource.objects.filter(clinic=clinic, pk=pk).select_related("clinic").first()
    if source is None:
        raise Http404
    return source


def _hand_meeting(clinic: Clinic, pk: int, *, listed: bool = True) -> Meeting:
    """A meeting the clinic added by hand; ``listed``: only if still in the directory."""
    found = Meeting.objects.filter(clinic=clinic, pk=pk, by_hand=True)
    if listed:
        found = found.filter(active=True)
    meeting = found.select_related("clinic").first()
    if meeting is None:
        raise Http404
    return meeting


def _base(request: HttpRequest, clinic: Clinic) -> dict[str, Any]:
    return {
        "clinic": clinic,
        "is_admin": can(request.user, Action.MANAGE_CLINIC, clinic),
        "stylesheet": STYLESHEET,
    }


def report_of(source: MeetingSource) -> dict[str, Any] | None:
    """The source's last import in words, for the page."""
    kept = source.last_report or {}
    if not kept:
        return None
    error = kept.get("error")
    return {
        "imported": kept.get("imported", 0),
        "updated": kept.get("updated", 0),
        "unchanged": kept.get("unchanged", 0),
        "deactivated": kept.get("deactivated", 0),
        "error": reasons.describe(error["code"], error.get("params")) if error else "",
        "rejected": [
            (one.get("slug", ""), reasons.describe(one.get("code", ""), one.get("params")))
            for one in kept.get("rejected", [])
        ],
    }


def _say(request: HttpRequest, report: ImportReport) -> None:
    if not report.read:
        messages.error(
            request,
            _("Nothing was changed: %(why)s") % {"why": report.error_words()},
        )
        return
    words = _("Imported: %(new)d new, %(updated)d changed, %(same)d unchanged.") % {
        "new": report.imported,
        "updated": report.updated,
        "same": report.unchanged,
    }
    if report.deactivated:
        words += " " + ngettext(
            "%(n)d meeting left the feed and is hidden.",
            "%(n)d meetings left the feed and are hidden.",
            report.deactivated,
        ) % {"n": report.deactivated}
    if report.rejected:
        words += " " + ngettext(
            "%(n)d meeting was refused; the reason is below.",
            "%(n)d meetings were refused; the reasons are below.",
            len(report.rejected),
        ) % {"n": len(report.rejected)}
        messages.warning(request, words)
    else:
        messages.success(request, words)


def _read(upload: UploadedFile[bytes]) -> bytes:
    # One byte over the limit is enough for the parser to say "too large".
    data: bytes = upload.read(feed.MAX_BYTES + 1)
    return data


@login_required
@require_safe
def clinic(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The sources and their last import, and the meetings added by hand."""
    found = _clinic(request, slug)
    sources = list(MeetingSource.objects.filter(clinic=found))
    listed: dict[int | None, int] = {}
    for source_id in Meeting.objects.filter(clinic=found, active=True).values_list(
        "source_id", flat=True
    ):
        listed[source_id] = listed.get(source_id, 0) + 1
    context = _base(request, found)
    context.update(
        {
            "sources": [
                {"source": s, "listed": listed.get(s.pk, 0), "report": report_of(s)}
                for s in sources
            ],
            "hand_made": list(Meeting.objects.filter(clinic=found, by_hand=True, active=True)),
            "total": sum(listed.values()),
        }
    )
    return render(request, "meetings/clinic/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def source_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A new source, imported at once."""
    found = _clinic(request, slug)
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("upload")
        try:
            source = services.add_source(
                clinic=found,
                details=services.SourceDetails(
                    name=data["name"],
                    url="" if upload else data.get("url") or "",
                    fellowship=data.get("fellowship") or "",
                    time_zone=data.get("time_zone") or "",
                    refresh=bool(data.get("refresh")),
                ),
                by=request.user,
            )
        except services.MeetingError as exc:
            show_on_form(form, exc)
        else:
            report = import_feed(
                source=source, raw=_read(upload) if upload else None, by=request.user
            )
            _say(request, report)
            return redirect("meetings:clinic_source", found.slug, source.pk)
    context = _base(request, found)
    context.update({"form": form, "source": None})
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/clinic/source.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def source(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """One source: its settings and its last import in full."""
    found = _clinic(request, slug)
    one = _source(found, pk)
    initial = {
        "name": one.name,
        "url": one.url,
        "fellowship": one.fellowship,
        "time_zone": one.time_zone,
        "refresh": one.refresh,
    }
    form = SourceForm(request.POST or None, initial=initial, editing=True, file_source=one.is_file)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_source(
                source=one,
                details=services.SourceDetails(
                    name=data["name"],
                    url=data.get("url") or "",
                    fellowship=data.get("fellowship") or "",
                    time_zone=data.get("time_zone") or "",
                    refresh=bool(data.get("refresh")),
                ),
                by=request.user,
            )
        except services.MeetingError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved. The changes apply from the source's next import."))
            return redirect("meetings:clinic_source", found.slug, one.pk)
    context = _base(request, found)
    context.update(
        {
            "form": form,
            "source": one,
            "report": report_of(one),
            "listed": Meeting.objects.filter(source=one, active=True).count(),
            "upload": UploadForm(),
        }
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/clinic/source.html", context, status=status)


@login_required
@require_POST
def source_import(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Import a source now: fetch its address again, or read the new copy of its file."""
    found = _clinic(request, slug)
    one = _source(found, pk)
    upload = request.FILES.get("upload")
    report = import_feed(source=one, raw=_read(upload) if upload else None, by=request.user)
    _say(request, report)
    return redirect("meetings:clinic_source", found.slug, one.pk)


@login_required
@require_http_methods(["GET", "POST"])
def source_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask, then take the source and its meetings out of the directory."""
    found = _clinic(request, slug)
    one = _source(found, pk)
    if request.method == "POST":
        gone = services.remove_source(source=one, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(name)s is removed; %(n)d meeting left the directory.",
                "%(name)s is removed; %(n)d meetings left the directory.",
                gone,
            )
            % {"name": one.name, "n": gone},
        )
        return redirect("meetings:clinic", found.slug)
    context = _base(request, found)
    context.update(
        {"source": one, "listed": Meeting.objects.filter(source=one, active=True).count()}
    )
    return render(request, "meetings/clinic/source_remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A meeting the clinic lists by hand."""
    found = _clinic(request, slug)
    form = MeetingForm(request.POST or None, initial={"time_zone": found.time_zone})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.add_meeting(clinic=found, values=form.values(), by=request.user)
        except services.MeetingError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("%(name)s is in the directory.") % {"name": made.name})
            return redirect("meetings:clinic", found.slug)
    context = _base(request, found)
    context.update({"form": form, "meeting": None})
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/clinic/meeting_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a meeting added by hand."""
    found = _clinic(request, slug)
    one = _hand_meeting(found, pk)
    form = MeetingForm(request.POST or None, initial=initial_for(one))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_meeting(meeting=one, values=form.values(), by=request.user)
        except services.MeetingError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("meetings:clinic", found.slug)
    context = _base(request, found)
    context.update({"form": form, "meeting": one})
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/clinic/meeting_form.html", context, status=status)


@login_required
@require_POST
def meeting_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Take a meeting added by hand out of the directory (again: no harm)."""
    found = _clinic(request, slug)
    one = _hand_meeting(found, pk, listed=False)
    deleted = services.remove_meeting(meeting=one, by=request.user)
    if deleted:
        messages.success(request, _("%(name)s is removed.") % {"name": one.name})
    else:
        messages.success(
            request,
            _("%(name)s is out of the directory; it is kept for clients who logged going to it.")
            % {"name": one.name},
        )
    return redirect("meetings:clinic", found.slug)


urlpatterns: list[URLPattern] = [
    path("clinic/<slug:slug>/meetings/", clinic, name="clinic"),
    path("clinic/<slug:slug>/meetings/sources/new/", source_new, name="clinic_source_new"),
    path("clinic/<slug:slug>/meetings/sources/<int:pk>/", source, name="clinic_source"),
    path(
        "clinic/<slug:slug>/meetings/sources/<int:pk>/import/",
        source_import,
        name="clinic_source_import",
    ),
    path(
        "clinic/<slug:slug>/meetings/sources/<int:pk>/remove/",
        source_remove,
        name="clinic_source_remove",
    ),
    path("clinic/<slug:slug>/meetings/new/", meeting_new, name="clinic_meeting_new"),
    path("clinic/<slug:slug>/meetings/<int:pk>/edit/", meeting_edit, name="clinic_meeting_edit"),
    path(
        "clinic/<slug:slug>/meetings/<int:pk>/remove/",
        meeting_remove,
        name="clinic_meeting_remove",
    ),
]
