"""Who may open each Stage 4 URL. The pages with a client's data are the client's own
(``/goals/…``, any stage to read, Stage 4 to write) or their primary clinician's
(``/clients/<id>/goals/…``, the record's 404 for anyone else)."""

from tests.flourish.helpers import a_goal, to_stage_four
from tests.roles import Route

CLIENT = frozenset({"client"})
CLINICIAN = frozenset({"clinician"})


def _goal(cast) -> dict:
    to_stage_four(cast)
    return {"goal_id": a_goal(cast).pk}


def _step(cast) -> dict:
    to_stage_four(cast)
    goal = a_goal(cast)
    return {"goal_id": goal.pk, "step_id": goal.steps.first().pk}


def _stage4(cast) -> dict:
    to_stage_four(cast)
    return {}


def _client_goal(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk, **_goal(cast)}


def _enrollment4(cast) -> dict:
    to_stage_four(cast)
    return {"enrollment_id": cast.enrollment.pk}


def _with_plan(cast) -> dict:
    from waypost.flourish import services

    to_stage_four(cast)
    services.save_maintenance_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        rhythm="weekly",
        warning_signs=["Sleeping badly"],
        if_they_appear=[],
    )
    return {"enrollment_id": cast.enrollment.pk}


def _alumnus(cast) -> dict:
    from waypost.flourish import services

    to_stage_four(cast)
    services.graduate(enrollment=cast.enrollment, by=cast.clinician, note="Well done.")
    return {"enrollment_id": cast.enrollment.pk}


ROUTES = [
    Route("flourish:goals", CLIENT, note="a client at any stage reads their own goals page"),
    Route("flourish:goal_new", CLIENT, kwargs=_stage4, note="from Stage 4 on"),
    Route("flourish:goal", CLIENT, kwargs=_goal),
    Route("flourish:goal_edit", CLIENT, kwargs=_goal),
    Route(
        "flourish:goal_step_add",
        CLIENT,
        kwargs=_goal,
        method="post",
        also_ok=frozenset({400}),
    ),
    Route("flourish:goal_step_done", CLIENT, kwargs=_step, method="post"),
    Route("flourish:goal_note", CLIENT, kwargs=_goal, method="post", also_ok=frozenset({400})),
    Route("flourish:goal_review", CLIENT, kwargs=_goal, method="post", also_ok=frozenset({400})),
    Route("flourish:maintenance", CLIENT),
    Route("flourish:maintenance_edit", CLIENT, kwargs=_stage4),
    Route(
        "flourish:client_goals",
        CLINICIAN,
        kwargs=lambda cast: {"enrollment_id": cast.enrollment.pk},
        note="the primary clinician only; everyone else gets the record's 404",
    ),
    Route("flourish:client_goal", CLINICIAN, kwargs=_client_goal),
    Route(
        "flourish:client_goal_note",
        CLINICIAN,
        kwargs=_client_goal,
        method="post",
        also_ok=frozenset({400}),
    ),
    Route("flourish:client_maintenance_edit", CLINICIAN, kwargs=_enrollment4),
    Route(
        "flourish:client_maintenance_agree",
        CLINICIAN,
        kwargs=_with_plan,
        method="post",
        data=lambda cast: {"version": "1"},
    ),
    Route(
        "flourish:graduate",
        CLINICIAN,
        kwargs=_enrollment4,
        method="post",
        also_ok=frozenset({400}),
        note="an empty note is refused kindly",
    ),
    Route("flourish:step_back_in", CLINICIAN, kwargs=_alumnus, method="post"),
]
