"""Pages that need no app: the health check and the error pages."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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


# Paths whose errors another app answers in its own form (the API answers in JSON).
# Apps register a responder from AppConfig.ready(); core knows none of them.
ErrorResponder = Callable[[int], HttpResponse]
_error_responders: dict[str, ErrorResponder] = {}


def register_error_responder(prefix: str, responder: ErrorResponder) -> None:
    """Errors for paths starting with ``prefix`` are answered by ``responder(status)``."""
    _error_responders[prefix] = responder


def _responder_for(path: str) -> ErrorResponder | None:
    for prefix, responder in _error_responders.items():
        if path.startswith(prefix):
            return responder
    return None


def _error(request: HttpRequest, status: int, template: str) -> HttpResponse:
    responder = _responder_for(request.path)
    if responder is not None:
        return responder(status)
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    # No template context processors here: the database may be the problem.
    responder = _responder_for(request.path)
    if responder is not None:
        return responder(500)
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
