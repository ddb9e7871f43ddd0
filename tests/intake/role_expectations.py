"""Who may use each intake URL: the client for their own history and story, their
primary clinician for the record pages. Nobody else, allies and admins included."""

from tests.roles import Route

CLIENT = frozenset({"client"})
CLINICIAN = frozenset({"clinician"})


def _record(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk}


ROUTES = [
    Route("intake:overview", CLIENT),
    Route("intake:topic", CLIENT, kwargs=lambda cast: {"number": 1}),
    Route("intake:review", CLIENT),
    Route("intake:story", CLIENT),
    Route("intake:story_part", CLIENT, kwargs=lambda cast: {"number": 1}),
    Route(
        "intake:story_share",
        CLIENT,
        method="post",
        data=lambda cast: {"action": "share"},
        note="with nothing written, the client is told so and sent back to the story page",
    ),
    Route("intake:record_intake", CLINICIAN, kwargs=_record),
    Route("intake:record_topic", CLINICIAN, kwargs=lambda cast: {**_record(cast), "number": 3}),
    Route(
        "intake:record_complete",
        CLINICIAN,
        kwargs=_record,
        method="post",
        note="an unfinished intake is not completed; the clinician is told why",
    ),
    Route("intake:record_story", CLINICIAN, kwargs=_record),
]
