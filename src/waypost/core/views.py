"""Pages every role shares: the front door, health check, help and error pages."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from waypost.clinics.models import Clinic, CrisisLine
from waypost.core.policy import roles_of


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is."""
    roles = roles_of(request.user)
    if not request.user.is_authenticated:
        return redirect("clinics:directory")
    if roles.is_client:
        return redirect("program:today")
    if roles.is_clinician:
        return redirect("caseload:list")
    if roles.is_admin:
        return redirect("clinics:manage_index")
    if roles.is_ally:
        return redirect("connect:ally_home")
    return redirect("accounts:account")


_migrations_checked = False


def _pending_migrations() -> bool:
    global _migrations_checked
    if _migrations_checked:
        return False
    executor = MigrationExecutor(connection)
    pending = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_checked = not pending
    return pending


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 once the database answers and every migration is applied; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if _pending_migrations():
            return JsonResponse(
                {"status": "unavailable", "reason": "migrations not applied"}, status=503
            )
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "reason": "database unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    """Crisis lines, reachable by anyone in one tap, signed in or not; then a client's own plan."""
    roles = roles_of(request.user)
    clinic_ids = roles.clinic_ids | {link.enrollment.clinic_id for link in roles.ally_links}
    if clinic_ids:
        clinics = Clinic.objects.filter(pk__in=clinic_ids)
    else:
        # A visitor coming from a clinic's public page sees that clinic's lines first
        # and only; anyone else sees every clinic's.
        clinics = Clinic.objects.filter(slug=request.GET.get("clinic", "")[:60])
        if not clinics.exists():
            clinics = Clinic.objects.all()
    lines = CrisisLine.objects.filter(clinic__in=clinics).select_related("clinic")
    by_clinic: dict[Clinic, list[CrisisLine]] = {}
    for line in lines:
        by_clinic.setdefault(line.clinic, []).append(line)
    # A client's own safety plan comes right after the crisis lines; nobody else's shows here.
    safety_plan = None
    if roles.enrollment is not None:
        from waypost.safety.services import latest_plan

        safety_plan = latest_plan(roles.enrollment)
    return render(
        request,
        "core/help.html",
        {"by_clinic": by_clinic, "enrollment": roles.enrollment, "safety_plan": safety_plan},
    )


def _error(request: HttpRequest, status: int, template: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_error(status)
    return render(request, template, status=status)


def _api_error(status: int) -> JsonResponse:
    """Errors under /api/ that Django raised itself, in the API's own words and codes."""
    from waypost.api.errors import ErrorCode, default_message, error_body

    code = {
        400: ErrorCode.BAD_REQUEST,
        403: ErrorCode.FORBIDDEN,
        404: ErrorCode.NOT_FOUND,
    }.get(status, ErrorCode.SERVER_ERROR)
    return JsonResponse(error_body(code, default_message(code)), status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "404.html")


def server_error(request):
    # No template context processors here: the database may be the problem.
    if request.path.startswith("/api/"):
        return _api_error(500)
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
