from tests.roles import ANY_SIGNED_IN, EVERYONE, STAFF, Route
from waypost.accounts.services import create_api_token

CLINICIANS = frozenset({"clinician", "other_clinician", "foreign_clinician"})

ROUTES = [
    Route(
        "api_tokens",
        frozenset(STAFF),
        note="tokens are for staff and integrations: clients and allies get 403",
    ),
    Route(
        "api_token_revoke",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"token_id": create_api_token(user=cast.clinician, name="t")[0].pk},
        method="post",
        note="only the token's owner; other staff get 404, clients and allies 403",
    ),
    Route("api:openapi-json", EVERYONE),
    Route("api:openapi-view", EVERYONE),
    Route("api:api-root", EVERYONE, also_ok=frozenset({404})),
    Route("api:me", ANY_SIGNED_IN, note="anonymous gets 401 JSON"),
    Route(
        "api:me_enrollment",
        frozenset({"client"}),
        note="anyone who is not a client gets 404 not_enrolled",
    ),
    Route("api:caseload", CLINICIANS, note="each clinician sees their own caseload"),
    Route(
        "api:enrollment",
        frozenset({"clinician"}),
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
        note="only the primary clinician; audited",
    ),
]
