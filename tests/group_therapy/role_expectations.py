"""Who may use each group therapy URL; gathered by tests/core/test_roles.py.

The cast's clinic has a group facilitated by the cast's clinician with the cast's client
in it. Its staff (clinicians and the admin) manage the group; only its facilitator takes
attendance and keeps notes; the client sees their own groups; the calendar page is for
clients, clinicians and allies with an open link; the feed answers to its token alone.
"""

from __future__ import annotations

from tests.group_therapy.helpers import make_group, past_and_next
from tests.roles import ALLIES, EVERYONE, Route

STAFF = frozenset({"clinician", "other_clinician", "admin"})
FACILITATOR = frozenset({"clinician"})
CALENDAR = frozenset(
    {"client", "clinician", "other_clinician", "foreign_clinician", *ALLIES} - {"ally_ended"}
)


def _north(cast) -> dict:
    return {"slug": cast.clinic.slug}


def _group(cast):
    return make_group(cast, members=(cast.enrollment,))


def _programme(cast) -> dict:
    return {"pk": _group(cast).pk}


def _member(cast) -> dict:
    programme = _group(cast)
    return {"pk": programme.pk, "member_id": programme.members.get().pk}


def _own_member(cast) -> dict:
    return {"member_id": _group(cast).members.get().pk}


def _past(cast) -> dict:
    programme = _group(cast)
    return {"pk": programme.pk, "key": past_and_next(programme)[0].key}


def _next(cast) -> dict:
    programme = _group(cast)
    return {"pk": programme.pk, "key": past_and_next(programme)[1].key}


def _cancelled_next(cast) -> dict:
    from waypost.connect.groups import services

    programme = _group(cast)
    upcoming = past_and_next(programme)[1]
    services.cancel_occurrence(programme=programme, original=upcoming.original, by=cast.clinician)
    return {"pk": programme.pk, "key": upcoming.key}


def _token(cast) -> dict:
    from waypost.connect.groups.feeds import renew_feed

    _group(cast)
    _feed, raw = renew_feed(user=cast.client)
    return {"token": raw}


ROUTES = [
    Route("group_therapy:clinic_groups", STAFF, kwargs=_north),
    Route("group_therapy:new_group", STAFF, kwargs=_north),
    Route("group_therapy:group", STAFF, kwargs=_programme),
    Route("group_therapy:edit_group", STAFF, kwargs=_programme),
    Route(
        "group_therapy:add_member",
        STAFF,
        kwargs=_programme,
        method="post",
        note="with nothing chosen: back to the group with a message",
    ),
    Route(
        "group_therapy:remove_member",
        STAFF,
        kwargs=_member,
        method="post",
        note="the first takes the client off; the others are told they had left",
    ),
    Route("group_therapy:session", FACILITATOR, kwargs=_past),
    Route(
        "group_therapy:take_attendance",
        FACILITATOR,
        kwargs=_past,
        method="post",
        data=lambda cast: {"enrollment": cast.enrollment.pk, "status": "present"},
    ),
    Route(
        "group_therapy:save_notes",
        FACILITATOR,
        kwargs=_past,
        method="post",
        data=lambda cast: {"text": "Theme: weekends."},
    ),
    Route("group_therapy:cancel_session", STAFF, kwargs=_next),
    Route("group_therapy:move_session", STAFF, kwargs=_next),
    Route(
        "group_therapy:restore_session",
        STAFF,
        kwargs=_cancelled_next,
        method="post",
        note="the first puts the session back; the others are told it already was",
    ),
    Route("group_therapy:mine", frozenset({"client"})),
    Route("group_therapy:leave", frozenset({"client"}), kwargs=_own_member),
    Route("group_therapy:calendar", CALENDAR),
    Route("group_therapy:calendar_off", CALENDAR, method="post"),
    Route(
        "group_therapy:feed",
        EVERYONE,
        kwargs=_token,
        note="calendar apps cannot sign in: the token in the address is the key",
    ),
]
