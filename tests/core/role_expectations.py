from tests.roles import EVERYONE, Route

ROUTES = [
    Route("home", EVERYONE, note="redirects each role to their start page"),
    Route("healthz", EVERYONE),
    Route("help", EVERYONE),
    # the installable app: the same worker, manifest and offline page for everyone
    Route("service_worker", EVERYONE),
    Route("manifest", EVERYONE),
    Route("offline", EVERYONE),
]
