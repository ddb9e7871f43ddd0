"""The API's operations. Each checks access through access/policy.py, then reads or calls a service.

No ``from __future__ import annotations`` here: ninja reads the annotations
at import time to build the schema.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from waypost.access.policy import Action, can, require, roles_of
from waypost.accounts.forms import AccountForm
from waypost.accounts.models import User
from waypost.api.auth import ApiRequest
from waypost.api.errors import ApiError, ErrorCode, ErrorOut, default_message
from waypost.api.schemas import (
    CaseloadEntryOut,
    EnrollmentRecordOut,
    MeOut,
    MeUpdateIn,
    OwnEnrollmentOut,
)
from waypost.clinics.middleware import time_zone_for
from waypost.core import events
from waypost.program.models import Enrollment
from waypost.program.selectors import record_of_client, visible_enrollments

# The refusals every authenticated operation may answer with.
COMMON_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}

me_router = Router(tags=["me"])
clinician_router = Router(tags=["clinician"])


def _me(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "name": user.name,
        "email": user.email,
        "roles": roles_of(user).names,
        "time_zone": time_zone_for(user) or "UTC",
        "language": user.language,
    }


@me_router.get(
    "/me",
    response={200: MeOut, **COMMON_ERRORS},
    url_name="me",
    operation_id="get_me",
    summary="Who am I",
)
def get_me(request: ApiRequest) -> dict[str, Any]:
    """The signed-in person: id, name, e-mail, roles and time zone."""
    return _me(request.auth)


@me_router.patch(
    "/me",
    response={200: MeOut, 400: ErrorOut, 422: ErrorOut, **COMMON_ERRORS},
    url_name="me",
    operation_id="update_me",
    summary="Change my name, time zone or language",
)
def update_me(request: ApiRequest, payload: MeUpdateIn) -> dict[str, Any]:
    """Change one's own name, time zone or language; fields left out stay as they are.

    Validated by the same rules as the account page.
    """
    user = request.auth
    data = {"name": user.name, "time_zone": user.time_zone, "language": user.language}
    data.update({k: v or "" for k, v in payload.model_dump(exclude_unset=True).items()})
    form = AccountForm(data, instance=user)
    if not form.is_valid():
        raise ApiError(
            422,
            ErrorCode.VALIDATION_ERROR,
            default_message(ErrorCode.VALIDATION_ERROR),
            details=[
                {"loc": ["body", field], "message": error["message"], "type": error["code"]}
                for field, errors in form.errors.get_json_data().items()
                for error in errors
            ],
        )
    form.save()
    return _me(user)


@me_router.get(
    "/me/enrollment",
    response={200: OwnEnrollmentOut, 404: ErrorOut, **COMMON_ERRORS},
    url_name="me_enrollment",
    operation_id="get_my_enrollment",
    summary="My place in the program",
)
def get_my_enrollment(request: ApiRequest) -> Enrollment:
    """The caller's active enrollment as a client: clinic, stage, clinician and stage history.

    Answers 404 with code ``not_enrolled`` for anyone who is not a client.
    The reasons for stage changes are the clinician's notes and are not included.
    """
    enrollment = roles_of(request.auth).enrollment
    if enrollment is None:
        raise ApiError(404, ErrorCode.NOT_ENROLLED, default_message(ErrorCode.NOT_ENROLLED))
    require(request.auth, Action.VIEW_OWN, enrollment)
    return enrollment


@clinician_router.get(
    "/caseload",
    response={200: list[CaseloadEntryOut], **COMMON_ERRORS},
    url_name="caseload",
    operation_id="list_caseload",
    summary="My caseload",
)
@paginate(LimitOffsetPagination)
def list_caseload(request: ApiRequest) -> QuerySet[Enrollment]:
    """A clinician's active clients (as primary clinician), by name. Others get 403."""
    if not can(request.auth, Action.VIEW_CASELOAD):
        raise PermissionDenied(_("Only clinicians have a caseload."))
    return visible_enrollments(request.auth).filter(status=Enrollment.Status.ACTIVE)


@clinician_router.get(
    "/enrollments/{enrollment_id}",
    response={200: EnrollmentRecordOut, 404: ErrorOut, **COMMON_ERRORS},
    url_name="enrollment",
    operation_id="get_enrollment",
    summary="One client's enrollment",
)
def get_enrollment(request: ApiRequest, enrollment_id: int) -> Enrollment:
    """A client's enrollment and stage history with reasons, for their primary clinician.

    Anyone else gets 404. Every read, and every refused attempt, is recorded in the
    clinic's audit trail.
    """
    enrollment = record_of_client(request.auth, enrollment_id, path=request.path)
    events.record_view(
        actor=request.auth,
        enrollment=enrollment,
        what="enrollment (API)",
        path=request.path,
    )
    return enrollment
