"""Stage 3's actions, asked directly for every role: meetings, groups, allies' own pages."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.roles import ALLIES, ROLES
from waypost.access.policy import Action, can

pytestmark = pytest.mark.django_db

OPEN_ALLIES = set(ALLIES) - {"ally_ended"}


def _who(cast, action, obj) -> set[str]:
    return {role for role in ROLES if can(cast.role(role) or AnonymousUser(), action, obj)}


def test_the_clinics_staff_manage_its_meetings_and_groups(cast):
    for action in (Action.MANAGE_MEETINGS, Action.MANAGE_GROUPS):
        assert _who(cast, action, cast.clinic) == {"clinician", "other_clinician", "admin"}
        assert _who(cast, action, cast.other_clinic) == {"foreign_clinician"}


def test_the_clinics_clients_and_staff_browse_its_meetings(cast):
    assert _who(cast, Action.BROWSE_MEETINGS, cast.clinic) == {
        "client",
        "clinician",
        "other_clinician",
        "admin",
    }
    assert _who(cast, Action.BROWSE_MEETINGS, cast.other_clinic) == {"foreign_clinician"}


@dataclass
class _Group:
    clinic_id: int
    facilitator_ids: tuple[int, ...]

    def facilitated_by(self, profile_id: int) -> bool:
        return profile_id in self.facilitator_ids


def test_only_a_groups_facilitators_run_its_sessions(cast):
    group = _Group(cast.clinic.pk, (cast.clinician_profile.pk,))
    assert _who(cast, Action.RUN_GROUP, group) == {"clinician"}
    # a facilitator id from another clinic counts for nothing here
    foreign = cast.foreign_clinician.clinician_profiles.get().pk
    assert _who(cast, Action.RUN_GROUP, _Group(cast.clinic.pk, (foreign,))) == set()
    assert _who(cast, Action.RUN_GROUP, None) == set()


def test_only_the_primary_clinician_records_a_family_session(cast):
    assert _who(cast, Action.RECORD_FAMILY_SESSION, cast.enrollment) == {"clinician"}


def test_only_the_ally_of_an_open_link_sets_its_alerts(cast):
    link = cast.links["all"]
    assert _who(cast, Action.SET_ALLY_ALERTS, link) == {"ally_all"}
    ended = cast.ally_ended.ally_links.get()
    assert _who(cast, Action.SET_ALLY_ALERTS, ended) == set()


def test_current_allies_keep_a_wellbeing_check_in(cast):
    assert _who(cast, Action.ALLY_WELLBEING, None) == OPEN_ALLIES


def test_clients_clinicians_and_allies_have_calendar_feeds(cast):
    assert _who(cast, Action.USE_CALENDAR_FEED, None) == {
        "client",
        "clinician",
        "other_clinician",
        "foreign_clinician",
        *OPEN_ALLIES,
    }
