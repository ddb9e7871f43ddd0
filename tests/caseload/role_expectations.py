from tests.roles import Route

CLINICIAN = frozenset({"clinician", "other_clinician", "foreign_clinician"})

ROUTES = [
    Route("caseload:list", CLINICIAN, note="each clinician sees their own caseload"),
    Route("caseload:invite", CLINICIAN),
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
