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
