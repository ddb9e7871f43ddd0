from tests.roles import ALLIES, Route

ROUTES = [
    Route("connect:allies", frozenset({"client"})),
    Route("connect:ally_home", frozenset(set(ALLIES) - {"ally_ended"})),
]
