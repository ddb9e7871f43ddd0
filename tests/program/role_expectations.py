from tests.roles import Route

ROUTES = [
    Route("program:today", frozenset({"client"})),
    Route("program:journey", frozenset({"client"})),
    Route("program:welcome", frozenset({"client"}), note="only a client has a welcome"),
]
