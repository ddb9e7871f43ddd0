"""Who may use each URL of the learn app; gathered by tests/core/test_roles.py.

The library is reading matter, not client data: clients read everything (with
progress), allies with an open link read the modules written for allies, and
clinicians and clinic admins preview every module. Progress, notes and
assignments are per person; finer checks live in tests/learn/test_access.py.
"""

from tests.roles import ALLIES, STAFF, Route

OPEN_ALLIES = frozenset(set(ALLIES) - {"ally_ended"})
READERS = frozenset({"client", *STAFF}) | OPEN_ALLIES


def _assignment(cast) -> dict:
    from waypost.learn.content import library
    from waypost.learn.services import assign_module

    assignment = assign_module(
        enrollment=cast.enrollment, module=library().get("five-cs"), by=cast.clinician
    )
    return {"enrollment_id": cast.enrollment.pk, "assignment_id": assignment.pk}


ROUTES = [
    Route("learn:library", READERS),
    Route(
        "learn:module",
        READERS,
        kwargs=lambda cast: {"slug": "for-partners-and-families"},
        note="a module written for allies; client-only modules are 404 for allies (test_access)",
    ),
    Route(
        "learn:mark_read",
        frozenset({"client"}),
        kwargs=lambda cast: {"slug": "five-cs"},
        method="post",
    ),
    Route(
        "learn:note",
        frozenset({"client"}),
        kwargs=lambda cast: {"slug": "five-cs"},
        method="post",
        data=lambda cast: {"note": "Compulsivity is the one I see most."},
    ),
    Route(
        "learn:assign",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
        method="post",
        data=lambda cast: {"module": "shame-and-secrecy", "due_on": ""},
        note="only the client's primary clinician; others get 404 (not in their caseload)",
    ),
    Route(
        "learn:withdraw",
        frozenset({"clinician"}),
        kwargs=_assignment,
        method="post",
    ),
]


# --- motivation tools: the client's own, and their primary clinician in session -------

CLIENT_ONLY = frozenset({"client"})
CLINICIAN_ONLY = frozenset({"clinician"})


def _with_balance(cast, kwargs: dict | None = None) -> dict:
    from waypost.learn.motivation_services import save_balance

    balance = save_balance(
        enrollment=cast.enrollment, content={"now_good": ["It helps me relax"]}, by=cast.client
    )
    return {**(kwargs or {}), "version": balance.version}


def _with_sort(cast, kwargs: dict | None = None, *, top: bool = False) -> dict:
    from waypost.learn.motivation_services import save_sort, save_top

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

ROUTES += [
    Route("learn:motivation", CLIENT_ONLY),
    Route(
        "learn:readiness",
        CLIENT_ONLY,
        method="post",
        data=lambda cast: {"readiness": "6"},
        note="recorded as a completed readiness-ruler questionnaire",
    ),
    Route("learn:balance", CLIENT_ONLY),
    Route("learn:balance_edit", CLIENT_ONLY, method="post", data=lambda cast: dict(BALANCE_POST)),
    Route("learn:balance_version", CLIENT_ONLY, kwargs=lambda cast: _with_balance(cast)),
    Route("learn:values", CLIENT_ONLY),
    Route("learn:values_sort", CLIENT_ONLY, method="post", data=lambda cast: dict(SORT_POST)),
    Route(
        "learn:values_top",
        CLIENT_ONLY,
        kwargs=lambda cast: _no_version(_with_sort(cast)),
    ),
    Route(
        "learn:values_notes",
        CLIENT_ONLY,
        kwargs=lambda cast: _no_version(_with_sort(cast, top=True)),
        method="post",
        data=lambda cast: {"note-family": "Secrecy keeps me away from them."},
    ),
    Route("learn:values_version", CLIENT_ONLY, kwargs=lambda cast: _with_sort(cast)),
    Route(
        "learn:stage",
        CLIENT_ONLY,
        method="post",
        data=lambda cast: {"stage": "contemplation", "note": "Some days more than others."},
    ),
    Route("learn:client_motivation", CLINICIAN_ONLY, kwargs=_enrollment),
    Route(
        "learn:client_motivation_ask",
        CLINICIAN_ONLY,
        kwargs=_enrollment,
        method="post",
        data=lambda cast: {"tool": "balance"},
    ),
    Route(
        "learn:client_readiness",
        CLINICIAN_ONLY,
        kwargs=_enrollment,
        method="post",
        data=lambda cast: {"readiness": "7"},
        note="filled in together in session",
    ),
    Route("learn:client_balance", CLINICIAN_ONLY, kwargs=_enrollment),
    Route("learn:client_balance_edit", CLINICIAN_ONLY, kwargs=_enrollment),
    Route(
        "learn:client_balance_version",
        CLINICIAN_ONLY,
        kwargs=lambda cast: _with_balance(cast, _enrollment(cast)),
    ),
    Route("learn:client_values", CLINICIAN_ONLY, kwargs=_enrollment),
    Route(
        "learn:client_values_sort",
        CLINICIAN_ONLY,
        kwargs=_enrollment,
        method="post",
        data=lambda cast: dict(SORT_POST),
    ),
    Route(
        "learn:client_values_top",
        CLINICIAN_ONLY,
        kwargs=lambda cast: _no_version(_with_sort(cast, _enrollment(cast))),
        method="post",
        data=lambda cast: {"values": ["family", "honesty"]},
    ),
    Route(
        "learn:client_values_notes",
        CLINICIAN_ONLY,
        kwargs=lambda cast: _no_version(_with_sort(cast, _enrollment(cast), top=True)),
    ),
    Route(
        "learn:client_values_version",
        CLINICIAN_ONLY,
        kwargs=lambda cast: _with_sort(cast, _enrollment(cast)),
    ),
    Route("learn:client_stage", CLINICIAN_ONLY, kwargs=_enrollment),
]
