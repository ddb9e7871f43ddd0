"""Who may manage a clinic's own questionnaires: that clinic's admins, nobody else."""

from __future__ import annotations

import pytest

from tests.roles import ROLES
from waypost.access.policy import Action, can

pytestmark = pytest.mark.django_db


def test_only_the_clinics_admin_manages_its_questionnaires(cast):
    from django.contrib.auth.models import AnonymousUser

    for role in ROLES:
        user = cast.role(role) or AnonymousUser()
        assert can(user, Action.MANAGE_INSTRUMENTS, cast.clinic) == (role == "admin"), role
        # and nobody here manages another clinic's
        assert not can(user, Action.MANAGE_INSTRUMENTS, cast.other_clinic), role


def test_an_admin_of_another_clinic_does_not(cast):
    from tests.cast import make_user
    from waypost.clinics.models import ClinicAdmin

    south_admin = make_user("admin@south.test", "Sol South")
    ClinicAdmin.objects.create(user=south_admin, clinic=cast.other_clinic)
    assert can(south_admin, Action.MANAGE_INSTRUMENTS, cast.other_clinic)
    assert not can(south_admin, Action.MANAGE_INSTRUMENTS, cast.clinic)
    assert not can(cast.admin, Action.MANAGE_INSTRUMENTS, None)
