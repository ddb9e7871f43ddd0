"""Who may use each clinician URL of Shield; joined in tests/shield/role_expectations.py.

Every page is the primary clinician's only: anyone else gets the record's way in
(``record_of_client``: 404 for someone else's client, or no client; the client themself
too). Deciding a request and ending a lockdown need ``ALLOW_SHIELD_NAME`` besides: the
clinician, never the client (a hard moment must not open the filter). Allies see Shield
only as a section of the shared page (the "Shield alerts" scope), which has no URL of its
own: tests/shield/test_clinician_side.py checks it.
"""

from datetime import timedelta
from uuid import uuid4

from tests.roles import Route

CLINICIAN = frozenset({"clinician"})


def _record(cast) -> dict:
    return {"enrollment_id": cast.enrollment.pk}


def _device(cast, **extra):
    from django.utils import timezone

    from waypost.recovery.models import Device
    from waypost.shield.models import ShieldDevice

    now = timezone.now()
    device = Device.objects.create(
        enrollment=cast.enrollment, client_uuid=uuid4(), name="Phone", kind="phone", created_at=now
    )
    return ShieldDevice.objects.create(device=device, created_at=now, **extra)


def _request(cast) -> dict:
    from django.utils import timezone

    from waypost.shield.models import WrongBlockRequest

    asked = WrongBlockRequest.objects.create(
        enrollment=cast.enrollment, name="recipes.example", created_at=timezone.now()
    )
    return {**_record(cast), "pk": asked.pk}


def _lockdown(cast) -> dict:
    from django.utils import timezone

    shield_device = _device(cast, lockdown_until=timezone.now() + timedelta(hours=1))
    return {**_record(cast), "pk": shield_device.pk}


ROUTES = [
    Route("shield:client_names", CLINICIAN, kwargs=_record),
    Route(
        "shield:client_decide",
        CLINICIAN,
        kwargs=_request,
        method="post",
        data=lambda cast: {"decision": "allow"},
        note="allows the name for the client and goes back to the record's Shield card",
    ),
    Route(
        "shield:client_end_lockdown",
        CLINICIAN,
        kwargs=_lockdown,
        method="post",
        note="ends the lockdown now and goes back to the record's Shield card",
    ),
    Route(
        "shield:client_bypass",
        CLINICIAN,
        kwargs=_record,
        method="post",
        data=lambda cast: {"on": "1"},
        note="blocks the ways around Shield for the client and goes back to the record",
    ),
]
