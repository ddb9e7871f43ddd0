"""Who may open each messaging URL. Allies never see messages (test_allies.py too)."""

from tests.roles import Route

ROUTES = [
    Route("messaging:mine", frozenset({"client"}), note="the client's own thread"),
    Route(
        "messaging:thread",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
        note="the primary clinician only; another clinician of the clinic gets a 404",
    ),
    Route(
        "messaging:clinic_settings",
        frozenset({"admin"}),
        kwargs=lambda cast: {"slug": cast.clinic.slug},
    ),
]
