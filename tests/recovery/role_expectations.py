"""Who may use each URL of the recovery app; gathered by tests/core/test_roles.py.

The daily check-in is the client's own, from Stage 2 on (the cast's client is in
Stage 2). Everyone else is refused by the way in (``own_enrollment``: 403). A client
below Stage 2 gets a kind page on GET and 403 on POST (tests/recovery/test_pages.py).
"""

from uuid import uuid4

from tests.roles import Route

CLIENT = frozenset({"client"})


def _today(cast) -> dict:
    from waypost.recovery.selectors import client_today

    return {"day": client_today(cast.enrollment).isoformat()}


def _answers(cast) -> dict:
    return {
        "client_uuid": str(uuid4()),
        "sober": "yes",
        "mood": "4",
        "urge": "2",
        "sleep_hours": "7.5",
        "mindfulness_minutes": "10",
        "note": "",
    }


ROUTES = [
    Route("recovery:checkin", CLIENT),
    Route(
        "recovery:checkin_day",
        CLIENT,
        kwargs=_today,
        method="post",
        data=_answers,
        note="a POST for today keeps the check-in and goes back to Today",
    ),
]


# --- the recovery plan, the relapse-prevention plan and the lapse log ----------------------
# Client pages need Stage 2 (a client below it gets a kind page on GET, 403 on POST:
# tests/recovery/test_plans.py); the clinician's are the primary clinician's only.

CLINICIAN = frozenset({"clinician"})


def _record(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk}


def _plan(cast) -> dict:
    from waypost.recovery.selectors import client_today
    from waypost.recovery.services.plans import save_recovery_plan

    save_recovery_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        start_date=client_today(cast.enrollment),
        period_days=90,
        circles={"inner": ["Watching porn"]},
    )
    return {"version": 1}


def _prevention(cast) -> dict:
    from waypost.recovery.services.plans import save_prevention_plan

    save_prevention_plan(
        enrollment=cast.enrollment, by=cast.client, content={"reasons": ["My kids"]}
    )
    return {"version": 1}


def _lapse(cast) -> dict:
    from waypost.recovery.selectors import client_today
    from waypost.recovery.services.lapses import log_lapse, save_chain

    lapse = log_lapse(
        enrollment=cast.enrollment,
        by=cast.client,
        day=client_today(cast.enrollment),
        client_uuid=uuid4(),
        what_happened="Late, alone, phone in bed.",
    )
    save_chain(lapse=lapse, by=cast.client, chain={"learning": "Phone out of the bedroom."})
    return {"lapse_id": lapse.pk}


def _record_with_plan(cast) -> dict:
    _plan(cast)
    return _record(cast)


ROUTES += [
    Route("recovery:plan", CLIENT),
    Route("recovery:plan_edit", CLIENT),
    Route("recovery:plan_version", CLIENT, kwargs=_plan),
    Route("recovery:prevention", CLIENT),
    Route("recovery:prevention_edit", CLIENT),
    Route("recovery:prevention_version", CLIENT, kwargs=_prevention),
    Route("recovery:prevention_card", CLIENT),
    Route("recovery:client_plan", CLINICIAN, kwargs=_record),
    Route("recovery:client_plan_edit", CLINICIAN, kwargs=_record),
    Route("recovery:client_plan_version", CLINICIAN, kwargs=lambda c: {**_record(c), **_plan(c)}),
    Route(
        "recovery:client_plan_review",
        CLINICIAN,
        kwargs=_record_with_plan,
        method="post",
        data=lambda cast: {"document": "recovery", "version": "1"},
        note="agrees version 1 and goes back to the plan",
    ),
    Route("recovery:client_prevention", CLINICIAN, kwargs=_record),
    Route("recovery:client_prevention_edit", CLINICIAN, kwargs=_record),
    Route(
        "recovery:client_prevention_version",
        CLINICIAN,
        kwargs=lambda c: {**_record(c), **_prevention(c)},
    ),
    Route("recovery:client_prevention_card", CLINICIAN, kwargs=_record),
    Route("recovery:lapses", CLIENT),
    Route("recovery:lapse_new", CLIENT),
    Route("recovery:lapse", CLIENT, kwargs=_lapse),
    Route(
        "recovery:lapse_learning",
        CLIENT,
        kwargs=_lapse,
        method="post",
        note="one tap adds the learning to the relapse-prevention plan",
    ),
    Route("recovery:client_lapses", CLINICIAN, kwargs=_record),
]


# --- the urge log and the device plan ---------------------------------------------------------
# The client's own, from Stage 2 on (a client below it: a kind page on GET, 403 on POST:
# tests/recovery/test_urges.py, test_devices.py). The clinician reads both on the record card.


def _urge(cast) -> dict:
    from waypost.recovery.services.urges import log_urge

    logged = log_urge(enrollment=cast.enrollment, by=cast.client, client_uuid=uuid4(), intensity=5)
    return {"pk": logged.urge.pk}


def _device(cast) -> dict:
    from waypost.recovery.services.devices import add_device

    device = add_device(
        enrollment=cast.enrollment, by=cast.client, client_uuid=uuid4(), name="Phone", kind="phone"
    )
    return {"pk": device.pk}


ROUTES += [
    Route("recovery:urge_patterns", CLIENT),
    Route(
        "recovery:urge_new",
        CLIENT,
        method="post",
        data=lambda cast: {"client_uuid": str(uuid4()), "intensity": "6", "trigger": "Stress"},
        note="keeps the urge and goes back to Today",
    ),
    Route("recovery:urge_edit", CLIENT, kwargs=_urge),
    Route("recovery:device_plan", CLIENT),
    Route(
        "recovery:device_step",
        CLIENT,
        kwargs=lambda cast: {**_device(cast), "step": "filter"},
        method="post",
        data=lambda cast: {"state": "done"},
        note="ticks the step and goes back to the plan",
    ),
    Route(
        "recovery:device_retire",
        CLIENT,
        kwargs=_device,
        method="post",
        note="takes the device off the plan, keeping its history",
    ),
]


# --- the skills toolbox, its practice log and "I'm having an urge" ------------------------
# Reading the exercises and the urge page: every client, in any stage (a Stage 1 client
# is checked in tests/recovery/test_toolbox.py); the practice log: Stage 2 on.


def _practice(cast) -> dict:
    return {"client_uuid": str(uuid4()), "skill": "ride-the-wave-90", "seconds": "90"}


ROUTES += [
    Route("recovery:toolbox", CLIENT),
    Route("recovery:exercise", CLIENT, kwargs=lambda cast: {"slug": "paced-breathing"}),
    Route(
        "recovery:practice_log",
        CLIENT,
        method="post",
        data=_practice,
        note="keeps the practice and goes back to the exercise",
    ),
    Route("recovery:urge_help", CLIENT),
]


# --- the middle-circle log -----------------------------------------------------------------
# The client's own, from Stage 2 on (a client below it: a kind page on GET, 403 on POST:
# tests/recovery/test_middle_circle.py). The clinician reads it on the record card; allies
# never see it (no ally scope covers it).


def _middle_moment(cast) -> dict:
    from waypost.recovery.middle_services import note_moment

    noted = note_moment(
        enrollment=cast.enrollment, by=cast.client, client_uuid=uuid4(), other="Up late alone"
    )
    return {"pk": noted.moment.pk}


ROUTES += [
    Route("recovery:middle_log", CLIENT),
    Route(
        "recovery:middle_new",
        CLIENT,
        method="post",
        data=lambda cast: {"client_uuid": str(uuid4()), "other": "Scrolling in bed"},
        note="keeps the moment and goes to the log with what might help now",
    ),
    Route(
        "recovery:middle_delete",
        CLIENT,
        kwargs=_middle_moment,
        method="post",
        note="takes the moment back and goes back to the log",
    ),
]
