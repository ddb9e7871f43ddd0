"""The clinical-work actions of the policy, asked directly for every role."""

from __future__ import annotations

import pytest

from tests.roles import ROLES
from waypost.access.policy import Action, can

pytestmark = pytest.mark.django_db

ON_ENROLLMENT = {
    Action.ASSIGN_WORK: {"clinician"},
    Action.ACKNOWLEDGE_ALERT: {"clinician"},
    Action.EDIT_SAFETY_PLAN: {"client", "clinician"},
    Action.VIEW_RECORD: {"clinician"},
    Action.VIEW_OWN: {"client"},
    # Stage 2 (the cast's client is in Stage 2)
    Action.CHECK_IN: {"client"},
    Action.LOG_RECOVERY: {"client"},
    Action.EDIT_RECOVERY_PLAN: {"client", "clinician"},
    Action.REVIEW_PLAN: {"clinician"},
    Action.MANAGE_SHIELD: {"client", "clinician"},
    Action.ALLOW_SHIELD_NAME: {"clinician"},
}
STAGE_TWO = (
    Action.CHECK_IN,
    Action.LOG_RECOVERY,
    Action.EDIT_RECOVERY_PLAN,
    Action.REVIEW_PLAN,
    Action.MANAGE_SHIELD,
    Action.ALLOW_SHIELD_NAME,
)


@pytest.mark.parametrize("action", list(ON_ENROLLMENT), ids=str)
def test_only_the_client_and_their_clinician_act_on_the_enrollment(cast, action):
    from django.contrib.auth.models import AnonymousUser

    for role in ROLES:
        user = cast.role(role) or AnonymousUser()
        allowed = can(user, action, cast.enrollment)
        assert allowed == (role in ON_ENROLLMENT[action]), (role, action)
    # and nobody in the first clinic acts on a client of another clinic
    for role in ("client", "clinician", "admin"):
        assert not can(cast.role(role), action, cast.foreign_enrollment)


@pytest.mark.parametrize("action", STAGE_TWO, ids=str)
def test_before_stage_two_nobody_keeps_the_stage_two_toolkit(cast, action):
    cast.enrollment.stage = 1
    for role in ("client", "clinician"):
        assert not can(cast.role(role), action, cast.enrollment), role


def test_only_the_clinic_admin_sees_the_clinic_wide_risk_inbox(cast):
    from django.contrib.auth.models import AnonymousUser

    for role in ROLES:
        user = cast.role(role) or AnonymousUser()
        assert can(user, Action.VIEW_CLINIC_RISK, cast.clinic) == (role == "admin"), role
    assert not can(cast.admin, Action.VIEW_CLINIC_RISK, cast.other_clinic)


def test_a_clinician_opens_only_their_own_clients_record(cast):
    from django.http import Http404

    from waypost.program.selectors import record_of_client

    assert record_of_client(cast.clinician, cast.enrollment.pk, Action.ASSIGN_WORK) == (
        cast.enrollment
    )
    for role in ("other_clinician", "foreign_clinician", "admin", "client"):
        with pytest.raises(Http404):
            record_of_client(cast.role(role), cast.enrollment.pk)


def test_only_the_sender_manages_an_invitation(cast):
    # given a client invitation the clinician sent
    from waypost.access.policy import Action, can
    from waypost.accounts.services import create_invitation

    invitation, _raw = create_invitation(
        kind="client", clinic=cast.clinic, email="x@new.test", by=cast.clinician, send=False
    )
    # then only they may resend or withdraw it, not a colleague or the clinic's admin
    assert can(cast.clinician, Action.MANAGE_INVITATION, invitation)
    for other in (cast.other_clinician, cast.admin, cast.client, None):
        assert not can(other, Action.MANAGE_INVITATION, invitation)


# Personal access tokens are for staff and integrations (docs/api.md).
USE_API_TOKENS = {"clinician", "other_clinician", "foreign_clinician", "admin"}


def test_only_staff_and_integrations_use_api_tokens(cast):
    from django.contrib.auth.models import AnonymousUser

    for role in ROLES:
        user = cast.role(role) or AnonymousUser()
        assert can(user, Action.USE_API_TOKENS) == (role in USE_API_TOKENS), role


def test_an_account_with_no_client_or_ally_role_may_use_api_tokens(cast):
    # an integration: signed in, but nobody's client and nobody's ally
    from tests.cast import make_user

    integration = make_user("reports@north.test", "Reporting script")
    assert can(integration, Action.USE_API_TOKENS)


def test_a_client_who_is_also_staff_may_use_api_tokens(cast):
    # a clinician who is in the program themselves, at another clinic
    from waypost.access.policy import forget_roles, roles_of
    from waypost.clinics.models import ClinicianProfile
    from waypost.program.services import enroll_client

    enroll_client(
        client=cast.clinician,
        clinician_profile=ClinicianProfile.objects.get(user=cast.foreign_clinician),
        by=cast.foreign_clinician,
    )
    forget_roles(cast.clinician)
    assert roles_of(cast.clinician).is_client
    assert can(cast.clinician, Action.USE_API_TOKENS)


def test_roles_load_only_the_relations_a_person_has(cast, django_assert_num_queries):
    from waypost.access.policy import forget_roles, roles_of

    # one query asks which relations the client has; one loads their enrollment
    forget_roles(cast.client)
    with django_assert_num_queries(2):
        roles = roles_of(cast.client)
    assert roles.enrollments == [cast.enrollment]
    assert roles.clinician_profiles == [] and roles.ally_links == []
    assert roles.admin_clinic_ids == set()
    # the clinician has a profile and nothing else
    forget_roles(cast.clinician)
    with django_assert_num_queries(2):
        assert roles_of(cast.clinician).clinician_profiles == [cast.clinician_profile]
    # an ally's open links are loaded; the admin's seats too
    ally = cast.links["all"].ally
    forget_roles(ally)
    assert cast.links["all"] in roles_of(ally).ally_links
    forget_roles(cast.admin)
    assert roles_of(cast.admin).admin_clinic_ids == {cast.clinic.pk}
