"""Who may use each URL of the motivation tools; gathered by tests/core/test_roles.py.

The client uses their own tools; their primary clinician reads them and fills
them in with the client in session. Nobody else sees them: other clinicians
get 404 (not their client), allies and clinic admins are refused. Finer checks
live in tests/motivation/test_access.py.
"""

from tests.roles import Route

CLIENT_ONLY = frozenset({"client"})
CLINICIAN_ONLY = frozenset({"clinician"})


def _with_balance(cast, kwargs: dict | None = None) -> dict:
    from waypost.motivation.services import save_balance

    balance = save_balance(
        enrollment=cast.enrollment, content={"now_good": ["It helps me relax"]}, by=cast.client
    )
    return {**(kwargs or {}), "version": balance.version}


def _with_sort(cast, kwargs: dict | None = None, *, top: bool = False) -> dict:
    from waypost.motivation.services import save_sort, save_top

    sort = save_sort(
        enrollment=cast.enrollment,
        piles={"family": "very", "honesty": "very", "fun": "important"},
        by=cast.client,
    )
    if top:
        sort = save_top(enrollment=cast.enrollment, cards=["family"], by=cast.client)
    return {**(kwargs or {}), "version": sort.version}


def _enrollment(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk}


def _no_version(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if k != "version"}


BALANCE_POST = {"now_good-0-text": "It helps me switch off", "now_good-0-weight": "3"}
SORT_POST = {"card-family": "very", "card-honesty": "very", "card-fun": "important"}

ROUTES = [
    Route("motivation:overview", CLIENT_ONLY),
    Route(
        "motivation:readiness",
        CLIENT_ONLY,
        method="post",
        data=lambda cast: {"readiness": "6"},
        note="recorded as a completed readiness-ruler questionnaire",
    ),
    Route("motivation:balance", CLIENT_ONLY),
    Route(
        "motivation:balance_edit", CLIENT_ONLY, method="post", data=lambda cast: dict(BALANCE_POST)
    ),
    Route("motivation:balance_version", CLIENT_ONLY, kwargs=lambda cast: _with_balance(cast)),
    Route("motivation:values", CLIENT_ONLY),
    Route("motivation:values_sort", CLIENT_ONLY, method="post", data=lambda cast: dict(SORT_POST)),
    Route(
        "motivation:values_top",
        CLIENT_ONLY,
        kwargs=lambda cast: _no_version(_with_sort(cast)),
    ),
    Route(
        "motivation:values_notes",
        CLIENT_ONLY,
        kwargs=lambda cast: _no_version(_with_sort(cast, top=True)),
        method="post",
        data=lambda cast: {"note-family": "Secrecy keeps me away from them."},
    ),
    Route("motivation:values_version", CLIENT_ONLY, kwargs=lambda cast: _with_sort(cast)),
    Route(
        "motivation:stage",
        CLIENT_ONLY,
        method="post",
        data=lambda cast: {"stage": "contemplation", "note": "Some days more than others."},
    ),
    Route("motivation:client_overview", CLINICIAN_ONLY, kwargs=_enrollment),
    Route(
        "motivation:client_ask",
        CLINICIAN_ONLY,
        kwargs=_enrollment,
        method="post",
        data=lambda cast: {"tool": "balance"},
    ),
    Route(
        "motivation:client_readiness",
        CLINICIAN_ONLY,
        kwargs=_enrollment,
        method="post",
        data=lambda cast: {"readiness": "7"},
        note="filled in together in session",
    ),
    Route("motivation:client_balance", CLINICIAN_ONLY, kwargs=_enrollment),
    Route("motivation:client_balance_edit", CLINICIAN_ONLY, kwargs=_enrollment),
    Route(
        "motivation:client_balance_version",
        CLINICIAN_ONLY,
        kwargs=lambda cast: _with_balance(cast, _enrollment(cast)),
    ),
    Route("motivation:client_values", CLINICIAN_ONLY, kwargs=_enrollment),
    Route(
        "motivation:client_values_sort",
        CLINICIAN_ONLY,
        kwargs=_enrollment,
        method="post",
        data=lambda cast: dict(SORT_POST),
    ),
    Route(
        "motivation:client_values_top",
        CLINICIAN_ONLY,
        kwargs=lambda cast: _no_version(_with_sort(cast, _enrollment(cast))),
        method="post",
        data=lambda cast: {"values": ["family", "honesty"]},
    ),
    Route(
        "motivation:client_values_notes",
        CLINICIAN_ONLY,
        kwargs=lambda cast: _no_version(_with_sort(cast, _enrollment(cast), top=True)),
    ),
    Route(
        "motivation:client_values_version",
        CLINICIAN_ONLY,
        kwargs=lambda cast: _with_sort(cast, _enrollment(cast)),
    ),
    Route("motivation:client_stage", CLINICIAN_ONLY, kwargs=_enrollment),
]
