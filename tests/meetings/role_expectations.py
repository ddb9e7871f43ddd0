"""Who may open each meetings URL.

The directory and a meeting's page: the clinic's clients and staff (a clinician of another
clinic sees their own clinic's directory, and gets a 404 for a meeting of this one);
favourites, their reminders and the attendance log: the client only; the clinic's Meetings page: the
clinic's staff (its admin and its clinicians, ``Action.MANAGE_MEETINGS``). Allies and
strangers are refused everywhere.
"""

from __future__ import annotations

from tests.roles import Route

CLINIC_STAFF = frozenset({"clinician", "other_clinician", "admin"})
DIRECTORY = frozenset({"client", "foreign_clinician"}) | CLINIC_STAFF
THIS_CLINIC = frozenset({"client"}) | CLINIC_STAFF


def _meeting(cast) -> dict:
    from tests.meetings.helpers import hand_meeting

    return {"pk": hand_meeting(cast.clinic).pk}


def _kept(cast) -> dict:
    """A meeting among the client's favourites (the reminder toggle is on a favourite)."""
    from tests.meetings.helpers import hand_meeting
    from waypost.connect.meetings.models import Favourite

    meeting = hand_meeting(cast.clinic)
    Favourite.objects.create(
        enrollment=cast.enrollment, meeting=meeting, created_at=meeting.created_at
    )
    return {"pk": meeting.pk}


def _entry(cast) -> dict:
    from tests.meetings.helpers import hand_meeting, log

    return {"pk": log(cast, hand_meeting(cast.clinic)).pk}


def _clinic(cast) -> dict:
    return {"slug": cast.clinic.slug}


def _source(cast) -> dict:
    from tests.meetings.helpers import file_source

    return {"slug": cast.clinic.slug, "pk": file_source(cast.clinic).pk}


def _hand(cast) -> dict:
    from tests.meetings.helpers import hand_meeting

    return {"slug": cast.clinic.slug, "pk": hand_meeting(cast.clinic, by_hand=True).pk}


def _hand_logged(cast) -> dict:
    """A hand meeting the client logged going to: removing it keeps it (hidden), so each
    allowed role's POST finds it again."""
    from tests.meetings.helpers import hand_meeting, log

    meeting = hand_meeting(cast.clinic, by_hand=True)
    log(cast, meeting)
    return {"slug": cast.clinic.slug, "pk": meeting.pk}


ROUTES = [
    Route("meetings:directory", DIRECTORY, note="each sees their own clinic's directory"),
    Route("meetings:soon", DIRECTORY),
    Route(
        "meetings:meeting",
        THIS_CLINIC,
        kwargs=_meeting,
        note="a meeting of another clinic is a 404",
    ),
    Route(
        "meetings:favourite",
        frozenset({"client"}),
        kwargs=_meeting,
        method="post",
        data=lambda cast: {"favourite": "1"},
    ),
    Route(
        "meetings:reminder",
        frozenset({"client"}),
        kwargs=_kept,
        method="post",
        data=lambda cast: {"remind": "1"},
        note="only a meeting among the client's own favourites; any other is a 404",
    ),
    Route("meetings:attendance", frozenset({"client"})),
    Route(
        "meetings:attendance_delete",
        frozenset({"client"}),
        kwargs=_entry,
        method="post",
        note="only the client's own entries",
    ),
    Route("meetings:clinic", CLINIC_STAFF, kwargs=_clinic),
    Route("meetings:clinic_source_new", CLINIC_STAFF, kwargs=_clinic),
    Route("meetings:clinic_source", CLINIC_STAFF, kwargs=_source),
    Route(
        "meetings:clinic_source_import",
        CLINIC_STAFF,
        kwargs=_source,
        method="post",
        note="a file source without a new file: nothing changes, the reason is shown",
    ),
    Route("meetings:clinic_source_remove", CLINIC_STAFF, kwargs=_source),
    Route("meetings:clinic_meeting_new", CLINIC_STAFF, kwargs=_clinic),
    Route("meetings:clinic_meeting_edit", CLINIC_STAFF, kwargs=_hand),
    Route("meetings:clinic_meeting_remove", CLINIC_STAFF, kwargs=_hand_logged, method="post"),
]
