from tests.roles import Route

ROUTES = [
    Route("program:today", frozenset({"client"})),
    Route("program:journey", frozenset({"client"})),
]
