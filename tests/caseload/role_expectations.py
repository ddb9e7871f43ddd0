from tests.roles import Route

CLINICIAN = frozenset({"clinician", "other_clinician", "foreign_clinician"})


def _waiting_invitation(cast) -> dict:
    """A client invitation the cast's clinician sent: only they may resend or withdraw it."""
    from waypost.accounts.models import Invitation
    from waypost.accounts.services import create_invitation

    invitation, _raw = create_invitation(
        kind=Invitation.Kind.CLIENT,
        clinic=cast.clinic,
        email="newcomer@north.test",
        name="Nia Newcomer",
        by=cast.clinician,
    )
    return {"invitation_id": invitation.pk}


ROUTES = [
    Route("caseload:list", CLINICIAN, note="each clinician sees their own caseload"),
    Route("caseload:invite", CLINICIAN),
    Route(
        "caseload:resend_invitation",
        frozenset({"clinician"}),
        kwargs=_waiting_invitation,
        method="post",
        note="only the clinician who sent it; everyone else gets 404 (or 403 without a caseload)",
    ),
    Route(
        "caseload:withdraw_invitation",
        frozenset({"clinician"}),
        kwargs=_waiting_invitation,
        method="post",
        note="only the clinician who sent it; everyone else gets 404 (or 403 without a caseload)",
    ),
    Route(
        "caseload:record",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
    ),
    Route(
        "caseload:change_stage",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
        method="post",
        also_ok=frozenset({400}),
        note="an empty form is refused with 400 for the clinician, 403/404 for others",
    ),
]
