from tests.roles import EVERYONE, Route

ROUTES = [
    Route("home", EVERYONE, note="redirects each role to their start page"),
    Route("healthz", EVERYONE),
    Route("help", EVERYONE),
]
