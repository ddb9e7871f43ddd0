"""Who may open each allies URL (the ally API's too). Per-scope visibility is checked by
page text in tests/connect/test_ally_view.py and test_withdrawing_consent.py; here each
link page admits only its own ally."""

from tests.roles import ALLIES, Route

OPEN_ALLIES = frozenset(set(ALLIES) - {"ally_ended"})


def _pending_invitation(cast) -> dict:
    from waypost.connect.services import invite_ally

    invitation = invite_ally(
        enrollment=cast.enrollment,
        email="waiting@north.test",
        name="Wren Waiting",
        relationship="friend",
        scopes=["journey"],
        by=cast.client,
    )
    return {"invitation_id": invitation.pk}


ROUTES = [
    Route("connect:allies", frozenset({"client"})),
    Route("connect:invite", frozenset({"client"})),
    Route(
        "connect:consent",
        frozenset({"client"}),
        kwargs=lambda cast: {"link_id": cast.links["all"].pk},
        note="only the client whose link it is; the ally themselves may not change it",
    ),
    Route(
        "connect:end",
        frozenset({"client"}),
        kwargs=lambda cast: {"link_id": cast.links["all"].pk},
        note="the confirmation page; the POST is tested in test_consent.py",
    ),
    Route(
        "connect:withdraw_invitation",
        frozenset({"client"}),
        kwargs=_pending_invitation,
        method="post",
    ),
    Route(
        "connect:ally_home",
        frozenset(ALLIES),
        note="an ally whose sharing ended sees a kind page with nothing shared",
    ),
    Route(
        "connect:ally_shared",
        frozenset({"ally_all"}),
        kwargs=lambda cast: {"link_id": cast.links["all"].pk},
        note="each ally sees only their own open link",
    ),
    Route(
        "connect:ally_guide",
        frozenset(ALLIES) | {"client"},
        note="clients may read what their allies are told",
    ),
    Route(
        "connect:ally_wellbeing",
        OPEN_ALLIES,
        note="the ally's own check-in: anyone who is an ally now; private to them",
    ),
    Route(
        "connect:family_sessions",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
        note="the primary clinician only; everyone else gets the record's 404",
    ),
    Route(
        "connect:document_support",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
        note="the primary clinician writes the support arrangements; everyone else the 404",
    ),
    Route(
        "api:ally_links",
        frozenset(ALLIES),
        note="an ally whose sharing ended gets an empty list; everyone else 403 (anonymous 401)",
    ),
    Route(
        "api:ally_shared",
        frozenset({"ally_all"}),
        kwargs=lambda cast: {"link_id": cast.links["all"].pk},
        note="each ally reads only their own open link; anyone else 404, like the page",
    ),
]
