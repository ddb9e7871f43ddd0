"""Every API error is JSON ``{"code": ..., "message": ...}`` with a stable code.

The code is for programs (it never changes once published); the message is
for people (plain, kind, translated). Validation errors add ``details``. A
service's refusal (``core.errors.DomainError``) keeps its own code and message.
Nothing here ever returns a stack trace: unexpected errors are logged and
answered with ``server_error``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from waypost.core.errors import DomainError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("waypost.api")


class ErrorCode(StrEnum):
    """The stable error codes of the API, one per kind of refusal."""

    BAD_REQUEST = "bad_request"
    MALFORMED_JSON = "malformed_json"
    NOT_AUTHENTICATED = "not_authenticated"
    FORBIDDEN = "forbidden"
    CSRF_FAILED = "csrf_failed"
    TWO_FACTOR_REQUIRED = "two_factor_required"
    NOT_FOUND = "not_found"
    NOT_ENROLLED = "not_enrolled"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    VALIDATION_ERROR = "validation_error"
    THROTTLED = "throttled"
    SERVER_ERROR = "server_error"


class ErrorDetail(Schema):
    """One problem with the input: where (``loc``), what (``message``), which rule (``type``)."""

    loc: list[str | int]
    message: str
    type: str


class ErrorOut(Schema):
    """The body of every error response."""

    code: str
    message: str
    details: list[ErrorDetail] | None = None


class ApiError(HttpError):
    """An error with its own stable code, raised by endpoints and auth."""

    def __init__(
        self,
        status_code: int,
        code: ErrorCode,
        message: str,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(status_code, message)
        self.code = code
        self.details = details


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": str(code), "message": str(message)}
    if details is not None:
        body["details"] = details
    return body


# The default message for each status ninja or Django may raise without a code of ours.
_BY_STATUS = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.THROTTLED,
}


def default_message(code: ErrorCode) -> str:
    messages = {
        ErrorCode.BAD_REQUEST: _("The request could not be understood."),
        ErrorCode.MALFORMED_JSON: _("The request body is not valid JSON."),
        ErrorCode.NOT_AUTHENTICATED: _(
            "Please sign in, or send a personal access token as 'Authorization: Bearer <token>'."
        ),
        ErrorCode.FORBIDDEN: _("You don't have access to this."),
        ErrorCode.CSRF_FAILED: _(
            "The CSRF check failed. Send the X-CSRFToken header with requests "
            "made from a signed-in browser (staff may use a personal access token instead)."
        ),
        ErrorCode.TWO_FACTOR_REQUIRED: _(
            "Your clinic asks staff to use two-factor sign-in. Set it up at /2fa/ "
            "in the browser, then try again."
        ),
        ErrorCode.NOT_FOUND: _("There is nothing here."),
        ErrorCode.NOT_ENROLLED: _("You are not enrolled in the program as a client."),
        ErrorCode.METHOD_NOT_ALLOWED: _("This method is not allowed here."),
        ErrorCode.VALIDATION_ERROR: _("Some of the input is not valid."),
        ErrorCode.THROTTLED: _("Too many requests. Please wait a little and try again."),
        ErrorCode.SERVER_ERROR: _(
            "Something went wrong on our side. It has been logged; please try again later."
        ),
    }
    return messages[code]


def _details_from_ninja(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ninja/pydantic errors, reduced to plain loc/message/type (no echoed input)."""
    return [
        {
            "loc": [part for part in error.get("loc", []) if isinstance(part, str | int)],
            "message": str(error.get("msg", "")),
            "type": str(error.get("type", "invalid")),
        }
        for error in errors
    ]


def register_exception_handlers(api: NinjaAPI) -> None:
    """Answer every exception an operation can raise with our JSON error shape."""

    def respond(
        request: HttpRequest,
        status: int,
        code: ErrorCode,
        message: str = "",
        details: list[dict[str, Any]] | None = None,
    ) -> HttpResponse:
        body = error_body(code, message or default_message(code), details)
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(
            request, 422, ErrorCode.VALIDATION_ERROR, details=_details_from_ninja(exc.errors)
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, ErrorCode.NOT_AUTHENTICATED)
        response["WWW-Authenticate"] = 'Bearer realm="waypost"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return respond(request, 429, ErrorCode.THROTTLED)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, ApiError):
            response = respond(request, exc.status_code, exc.code, exc.message, details=exc.details)
            if exc.status_code == 401:
                response["WWW-Authenticate"] = 'Bearer realm="waypost"'
            return response
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            # ninja raises HttpError(400) from the JSON parser's ValueError.
            return respond(request, 400, ErrorCode.MALFORMED_JSON)
        code = _BY_STATUS.get(exc.status_code, ErrorCode.BAD_REQUEST)
        return respond(request, exc.status_code, code)

    @api.exception_handler(DomainError)
    def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
        # The service's own stable code and kind message, as the pages show it.
        body = error_body(exc.code, exc.message)
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, ErrorCode.NOT_FOUND)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, ErrorCode.FORBIDDEN)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The traceback goes to the log, never to the caller; no request body is logged.
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, ErrorCode.SERVER_ERROR)


View = Callable[..., HttpResponseBase]


def json_method_not_allowed(view: View) -> View:
    """Wrap a ninja path view so a wrong method gets our JSON 405 instead of plain text."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = JsonResponse(
                error_body(
                    ErrorCode.METHOD_NOT_ALLOWED, default_message(ErrorCode.METHOD_NOT_ALLOWED)
                ),
                status=405,
            )
            response["Allow"] = allowed
        return response

    return wrapper


def django_error(status: int) -> JsonResponse:
    """Errors under /api/ that Django raised itself, in the API's own words and codes."""
    code = {
        400: ErrorCode.BAD_REQUEST,
        403: ErrorCode.FORBIDDEN,
        404: ErrorCode.NOT_FOUND,
    }.get(status, ErrorCode.SERVER_ERROR)
    return JsonResponse(error_body(code, default_message(code)), status=status)
