from tests.roles import ANY_SIGNED_IN, EVERYONE, Route

ROUTES = [
    Route("api_tokens", ANY_SIGNED_IN),
    Route("api:openapi-json", EVERYONE),
    Route("api:openapi-view", EVERYONE),
    Route("api:api-root", EVERYONE, also_ok=frozenset({404})),
]
