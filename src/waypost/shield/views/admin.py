"""The clinic admin's Shield page: ``/clinic/<slug>/shield/``.

What Shield blocks for every client of the clinic (categories), SafeSearch, after how
long a quiet device raises "Shield silent", and the clinic-wide allow- and block-lists.

- ``clinic/<slug>/shield/`` (GET, POST): the page, and saving the settings;
- ``clinic/<slug>/shield/lists/add/`` (POST ``list``, ``name``): a name on a list;
- ``clinic/<slug>/shield/lists/remove/`` (POST ``list``, ``name``): a name off it.

Each goes through ``clinic_for`` (``Action.MANAGE_CLINIC`` for the clinic: its admins
only) and calls one service of ``clinic_services``. A change redirects back to the page
(POST-redirect-GET); what cannot be saved is shown on the page with a 400, and nothing
changes. ``register`` adds the page to the clinic admin's tabs and overview
(``core.clinic_pages``), from ``ShieldConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from waypost.clinics.views._access import clinic_for
from waypost.core import clinic_pages
from waypost.shield import clinic_services, sync
from waypost.shield.forms import LISTS, ClinicListForm, ClinicShieldForm
from waypost.shield.services import ShieldError

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest
    from waypost.clinics.models import Clinic

STYLESHEET = "shield/shield.css"


def _list_form(which: str, data: Any = None) -> ClinicListForm:
    # One page holds a form per list: ids of their own, the same field names for one view.
    return ClinicListForm(data, initial={"list": which}, auto_id=f"{which}-%s")


def _page(
    request: AuthenticatedHttpRequest,
    clinic: Clinic,
    *,
    settings_form: ClinicShieldForm | None = None,
    list_form: ClinicListForm | None = None,
    list_problem: tuple[str, str] = ("", ""),
    status: int = 200,
) -> HttpResponse:
    """The page, with the form that could not be saved (if any) as it was sent.

    ``list_problem``: a removal that could not be made, as (which list, why).
    """
    current = clinic_services.settings_of(clinic)
    which, problem = list_problem
    if list_form is not None:
        sent = list_form.data.get("list", "")
        which = sent if sent in LISTS else "block"
    lists = []
    for key, names in (("allow", current.allow), ("block", current.block)):
        lists.append(
            {
                "key": key,
                "names": names,
                "form": list_form if list_form is not None and which == key else _list_form(key),
                "problem": problem if which == key else "",
                "full": len(names) >= clinic_services.CLINIC_LIST_MAX,
            }
        )
    context = {
        "clinic": clinic,
        "current": current,
        "form": settings_form or ClinicShieldForm(current=current),
        "lists": lists,
        "list_max": clinic_services.CLINIC_LIST_MAX,
        "seconds": sync.FLUSH_SECONDS,
        "stylesheet": STYLESHEET,
    }
    return render(request, "shield/admin/settings.html", context, status=status)


def _back(clinic: Clinic, anchor: str = "") -> HttpResponse:
    url = reverse("shield:clinic_settings", args=[clinic.slug])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_http_methods(["GET", "POST"])
def clinic_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The clinic's Shield settings and lists; POST saves the settings."""
    clinic = clinic_for(request, slug)
    if request.method != "POST":
        return _page(request, clinic)
    form = ClinicShieldForm(request.POST, current=clinic_services.settings_of(clinic))
    if form.is_valid():
        try:
            clinic_services.update_settings(
                clinic=clinic,
                by=request.user,
                categories=form.cleaned_data["categories"],
                safesearch=form.cleaned_data["safesearch"],
                silence_hours=form.cleaned_data["silence_hours"],
            )
        except ShieldError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Shield settings saved. Shield starts using them within %(n)d seconds, "
                    "for every client of the clinic."
                )
                % {"n": sync.FLUSH_SECONDS},
            )
            return _back(clinic)
    return _page(request, clinic, settings_form=form, status=400)


@login_required
@require_POST
def clinic_list_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Put a name on the clinic's allow-list or block-list."""
    clinic = clinic_for(request, slug)
    which = request.POST.get("list", "")
    form = _list_form(which if which in LISTS else "block", request.POST)
    if form.is_valid():
        which = form.cleaned_data["list"]
        try:
            entry, added = clinic_services.add_name(
                clinic=clinic, by=request.user, name=form.cleaned_data["name"], allow=form.allow
            )
        except ShieldError as exc:
            form.add_error("name", exc.message)
        else:
            words = {"name": entry.name, "n": sync.FLUSH_SECONDS}
            if not added:
                messages.info(request, _("%(name)s was already on this list.") % words)
            elif form.allow:
                messages.success(
                    request,
                    _(
                        "%(name)s is always allowed now. Shield lets it through for every "
                        "client within %(n)d seconds."
                    )
                    % words,
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is always blocked now. Shield blocks it for every client "
                        "within %(n)d seconds."
                    )
                    % words,
                )
            return _back(clinic, which)
    return _page(request, clinic, list_form=form, status=400)


@login_required
@require_POST
def clinic_list_remove(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Take a name off the clinic's allow-list or block-list."""
    clinic = clinic_for(request, slug)
    which = request.POST.get("list", "")
    form = _list_form(which if which in LISTS else "block", request.POST)
    problem = ""
    if form.is_valid():
        which = form.cleaned_data["list"]
        try:
            removed = clinic_services.remove_name(
                clinic=clinic, by=request.user, name=form.cleaned_data["name"], allow=form.allow
            )
        except ShieldError as exc:
            problem = exc.message
        else:
            words = {"name": form.cleaned_data["name"].strip()}
            if removed:
                messages.success(request, _("%(name)s is off the list.") % words)
            else:
                messages.info(request, _("%(name)s was not on this list.") % words)
            return _back(clinic, which)
    else:
        problem = " ".join(str(error) for errors in form.errors.values() for error in errors)
    # Shown above the list it is about (the block-list's when the list itself is unknown).
    where = which if which in LISTS else "block"
    return _page(request, clinic, list_problem=(where, problem), status=400)


urlpatterns: list[URLPattern] = [
    path("clinic/<slug:slug>/shield/", clinic_settings, name="clinic_settings"),
    path("clinic/<slug:slug>/shield/lists/add/", clinic_list_add, name="clinic_list_add"),
    path("clinic/<slug:slug>/shield/lists/remove/", clinic_list_remove, name="clinic_list_remove"),
]


def register() -> None:
    """The page among the clinic admin's tabs and tiles (``core.clinic_pages``)."""
    clinic_pages.register(
        clinic_pages.ClinicPage(
            "shield",
            gettext_lazy("Shield"),
            gettext_lazy("What the filter blocks for every client, SafeSearch, your own lists"),
            "shield:clinic_settings",
            lights=tuple(f"shield:{pattern.name}" for pattern in urlpatterns),
            order=30,
        )
    )
