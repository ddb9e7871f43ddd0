"""Who may use each of the client's Shield URLs (views/client.py); for tests/core/test_roles.py.

The client's own pages, from Stage 2 on (the cast's client is in Stage 2); everyone else
is refused by the way in (``own_enrollment``: 403). A client before Stage 2 gets a kind
page on GET and 403 on POST (tests/shield/test_client_pages.py). A device id in a URL only
picks one of the client's own devices: another client's device is a 404 for them.

``tests/shield/role_expectations.py`` joins these ROUTES with the clinician side's.
"""

from uuid import uuid4

from tests.roles import Route

CLIENT = frozenset({"client"})


def _device(cast) -> dict:
    """A device of the client's plan, not on Shield yet."""
    from waypost.recovery.services.devices import add_device

    device = add_device(
        enrollment=cast.enrollment, by=cast.client, client_uuid=uuid4(), name="Phone", kind="phone"
    )
    return {"pk": device.pk}


def _on_shield(cast) -> dict:
    """A device of the client's plan on Shield."""
    from waypost.recovery.models import Device
    from waypost.shield import services

    pk = _device(cast)["pk"]
    services.turn_on(device=Device.objects.get(pk=pk), by=cast.client)
    return {"pk": pk}


ROUTES = [
    Route("shield:home", CLIENT),
    Route("shield:names", CLIENT),
    Route(
        "shield:block_name",
        CLIENT,
        method="post",
        data=lambda cast: {"block-name": "tempting.example"},
        note="blocks the name and goes back to the lists",
    ),
    Route(
        "shield:wrong_block",
        CLIENT,
        method="post",
        data=lambda cast: {"ask-name": "school.example", "ask-note": "Homework"},
        note="asks the clinician and goes back to the lists",
    ),
    Route(
        "shield:turn_on",
        CLIENT,
        kwargs=_device,
        method="post",
        note="puts the device on Shield and goes to its setup page",
    ),
    Route("shield:setup", CLIENT, kwargs=_on_shield),
    Route("shield:setup_status", CLIENT, kwargs=_on_shield, note="JSON for 'Check again'"),
    Route(
        "shield:profile",
        CLIENT,
        kwargs=_on_shield,
        note="the Apple profile (back to the setup page while Shield is not set up)",
    ),
    Route("shield:new_address", CLIENT, kwargs=_on_shield, method="post"),
    Route(
        "shield:link_network",
        CLIENT,
        kwargs=_on_shield,
        method="post",
        note="links the request's address (the test client's 127.0.0.1)",
    ),
    Route(
        "shield:lockdown",
        CLIENT,
        method="post",
        data=lambda cast: {"device": "all", "length": "30m"},
        note="with no device on Shield it says so kindly and goes back (a redirect)",
    ),
]
