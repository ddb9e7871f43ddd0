"""The device plan: devices and their steps, the pages, Today's step, the record and the gate."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.recovery.helpers import today_of
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.program import gates
from waypost.recovery import device_selectors, events
from waypost.recovery.models import Device, DeviceStep
from waypost.recovery.services import devices

pytestmark = pytest.mark.django_db

PLAN = "/devices/"
Step = DeviceStep.Step


def add(cast, name="My phone", kind="phone", **values) -> Device:
    values.setdefault("client_uuid", uuid4())
    return devices.add_device(
        enrollment=cast.enrollment, by=cast.client, name=name, kind=kind, **values
    )


def mark(cast, device, step, state="done", **values) -> DeviceStep:
    return devices.set_device_step(device=device, by=cast.client, step=step, state=state, **values)


def settle_all(cast, device) -> None:
    for step in device_selectors.applicable_steps(device.kind):
        mark(cast, device, step)


def _gate(cast) -> gates.GateResult:
    return device_selectors.devices_hardened(cast.enrollment, {})


# --- which steps apply -------------------------------------------------------------------------


def test_every_device_gets_a_filter_and_only_a_phone_can_become_a_simple_phone():
    for kind in Device.Kind.values:
        steps = device_selectors.applicable_steps(kind)
        assert steps[0] == Step.FILTER
        assert (Step.DUMB_PHONE in steps) == (kind == Device.Kind.PHONE)
        assert all(step in device_selectors.WHY for step in steps)
    for kind in ("phone", "tablet", "computer"):
        assert Step.NIGHT in device_selectors.applicable_steps(kind)
    assert Step.NIGHT not in device_selectors.applicable_steps("tv")


# --- the service -----------------------------------------------------------------------------


def test_a_device_is_added_once_per_submission(cast):
    submission = uuid4()
    first = add(cast, client_uuid=submission)

    again = add(cast, client_uuid=submission, name="Another name")

    assert again.pk == first.pk and Device.objects.get().name == "My phone"
    assert TimelineEvent.objects.filter(kind=events.DEVICE_CHANGED).count() == 1


@pytest.mark.parametrize("values", [{"name": "  "}, {"name": "x" * 61}, {"kind": "toaster"}])
def test_a_device_without_a_name_or_kind_is_refused(cast, values):
    with pytest.raises(devices.DeviceError):
        add(cast, **values)
    assert not Device.objects.exists()


def test_a_step_is_done_on_a_date_not_needed_or_undone(cast):
    phone = add(cast)
    yesterday = today_of(cast) - timedelta(days=1)

    mark(cast, phone, Step.FILTER, done_on=yesterday)
    mark(cast, phone, Step.DUMB_PHONE, state="not_needed")
    mark(cast, phone, Step.SOCIAL)  # today by default

    rows = {row.step: row for row in DeviceStep.objects.all()}
    assert rows[Step.FILTER].done_on == yesterday
    assert rows[Step.DUMB_PHONE].not_needed and rows[Step.DUMB_PHONE].done_on is None
    assert rows[Step.SOCIAL].done_on == today_of(cast)

    mark(cast, phone, Step.FILTER, state="open")
    assert DeviceStep.objects.get(step=Step.FILTER).done_on is None
    summaries = [e.summary for e in TimelineEvent.objects.filter(kind=events.DEVICE_STEP)]
    assert "Device plan: “Filter installed” done on “My phone”" in summaries
    assert "Device plan: “Filter installed” open again on “My phone”" in summaries


def test_marking_a_step_as_it_already_is_writes_nothing(cast):
    phone = add(cast)
    mark(cast, phone, Step.FILTER)

    mark(cast, phone, Step.FILTER)
    mark(cast, phone, Step.CONTACTS, state="open")

    assert DeviceStep.objects.count() == 1
    assert TimelineEvent.objects.filter(kind=events.DEVICE_STEP).count() == 1


def test_the_timeline_keeps_the_device_name_private(cast):
    phone = add(cast, name="Sam's old iPhone")
    mark(cast, phone, Step.FILTER)

    for event in TimelineEvent.objects.filter(enrollment=cast.enrollment):
        assert "Sam" not in str(event.data)
    assert "Sam's old iPhone" in TimelineEvent.objects.filter(kind=events.DEVICE_STEP).get().summary


@pytest.mark.parametrize(
    ("step", "values"),
    [
        (Step.DUMB_PHONE, {}),  # a TV cannot become a simple phone
        (Step.FILTER, {"state": "maybe"}),
        (Step.FILTER, {"done_on": "tomorrow"}),
    ],
)
def test_a_step_that_does_not_fit_is_refused(cast, step, values):
    tv = add(cast, name="Living room TV", kind="tv")
    if values.get("done_on") == "tomorrow":
        values["done_on"] = today_of(cast) + timedelta(days=1)

    with pytest.raises(devices.DeviceError):
        mark(cast, tv, step, **values)
    assert not DeviceStep.objects.exists()


def test_a_retired_device_keeps_its_history_and_leaves_the_plan(cast):
    phone = add(cast)
    mark(cast, phone, Step.FILTER)

    devices.retire_device(device=phone, by=cast.client)
    devices.retire_device(device=phone, by=cast.client)  # again: nothing more

    phone.refresh_from_db()
    assert phone.retired_at is not None and DeviceStep.objects.count() == 1
    assert device_selectors.device_plans(cast.enrollment) == []
    assert device_selectors.device_plans(cast.enrollment, retired=True)[0].done == 1
    with pytest.raises(devices.DeviceError):
        mark(cast, phone, Step.SOCIAL)
    assert TimelineEvent.objects.filter(kind=events.DEVICE_CHANGED).count() == 2


def test_only_the_client_in_stage_2_keeps_a_device_plan(cast):
    phone = add(cast)
    for someone in (cast.clinician, cast.other_clinician, cast.admin, cast.ally_all):
        with pytest.raises(PermissionDenied):
            devices.add_device(
                enrollment=cast.enrollment, by=someone, client_uuid=uuid4(), name="x", kind="tv"
            )
        with pytest.raises(PermissionDenied):
            devices.set_device_step(device=phone, by=someone, step=Step.FILTER, state="done")
        with pytest.raises(PermissionDenied):
            devices.retire_device(device=phone, by=someone)
    with pytest.raises(PermissionDenied):
        devices.add_device(
            enrollment=cast.foreign_enrollment,
            by=cast.foreign_client,
            client_uuid=uuid4(),
            name="x",
            kind="tv",
        )
    assert Device.objects.count() == 1 and not DeviceStep.objects.exists()


# --- the gate ----------------------------------------------------------------------------------


def test_the_gate_needs_a_device_and_every_device_in_use_hardened(cast):
    assert _gate(cast) == gates.GateResult(False, "No devices in the plan yet")
    phone = add(cast)
    laptop = add(cast, name="Laptop", kind="computer")
    settle_all(cast, phone)
    assert not _gate(cast).met and _gate(cast).detail == "1 of 2 devices hardened"

    for step in device_selectors.applicable_steps("computer"):
        mark(cast, laptop, step, state="not_needed" if step == Step.NIGHT else "done")
    assert _gate(cast).met

    old = add(cast, name="Old tablet", kind="tablet")
    assert not _gate(cast).met
    devices.retire_device(device=old, by=cast.client)
    assert _gate(cast).met


def test_the_gate_is_on_the_stage_2_checklist(cast):
    keys = [check.criterion.key for check in gates.checklist(cast.enrollment)]
    assert "devices_hardened" in keys


# --- the pages -------------------------------------------------------------------------------


def test_the_plan_page_lists_devices_with_their_steps_and_why_each_helps(cast, client):
    phone = add(cast)
    mark(cast, phone, Step.FILTER)
    browser = sign_in(client, cast.client)

    response = browser.get(PLAN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Device plan · Waypost</title>" in page
    assert "My phone" in page and "1 of 7 steps settled" in page
    assert "Swapped for a simple phone" in page
    assert "Waypost&#x27;s own filter, Shield, is under Journey; any filter you trust" in page
    assert "Why this helps" in page and "Undo" in page


def test_adding_a_device_from_the_page(cast, client):
    browser = sign_in(client, cast.client)
    answers = {"client_uuid": str(uuid4()), "name": "Work laptop", "kind": "computer"}

    response = browser.post(PLAN, answers, follow=True)
    browser.post(PLAN, answers)  # a retry

    device = Device.objects.get()
    assert (device.name, device.kind) == ("Work laptop", "computer")
    assert "Work laptop is in your plan." in response.content.decode()


def test_a_device_without_a_kind_shows_the_form_again(cast, client):
    browser = sign_in(client, cast.client)

    response = browser.post(PLAN, {"client_uuid": str(uuid4()), "name": "Phone"})

    assert response.status_code == 400
    assert "Please choose what kind of device it is." in response.content.decode()
    assert not Device.objects.exists()


def test_ticking_undoing_and_marking_not_needed_from_the_page(cast, client):
    phone = add(cast)
    browser = sign_in(client, cast.client)
    url = reverse("recovery:device_step", args=[phone.pk, Step.FILTER])
    day = today_of(cast) - timedelta(days=2)

    response = browser.post(url, {"state": "done", "done_on": day.isoformat()})
    assert response["Location"] == f"{PLAN}#device-{phone.pk}"
    assert DeviceStep.objects.get().done_on == day

    browser.post(url, {"state": "open"})
    assert DeviceStep.objects.get().done_on is None
    browser.post(url, {"state": "not_needed"})
    assert DeviceStep.objects.get().not_needed


@pytest.mark.parametrize(
    "answers", [{"state": "done", "done_on": "2999-01-01"}, {"state": "nope"}, {"done_on": "x"}]
)
def test_bad_step_input_is_refused_kindly(cast, client, answers):
    phone = add(cast)
    browser = sign_in(client, cast.client)

    response = browser.post(
        reverse("recovery:device_step", args=[phone.pk, Step.FILTER]), answers, follow=True
    )

    assert response.status_code == 200
    assert not DeviceStep.objects.exists()
    assert 'class="message message-error"' in response.content.decode()


def test_unknown_steps_and_other_peoples_devices_are_not_found(cast, client):
    phone = add(cast)
    browser = sign_in(client, cast.client)

    assert (
        browser.post(f"/devices/{phone.pk}/steps/teleport/", {"state": "done"}).status_code == 404
    )
    assert (
        browser.post(f"/devices/{phone.pk + 99}/steps/filter/", {"state": "done"}).status_code
        == 404
    )
    assert (
        browser.get(reverse("recovery:device_step", args=[phone.pk, "filter"])).status_code == 405
    )


def test_retiring_from_the_page(cast, client):
    phone = add(cast)
    browser = sign_in(client, cast.client)

    page = browser.post(reverse("recovery:device_retire", args=[phone.pk]), follow=True)

    assert "My phone is off your plan." in page.content.decode()
    assert "No longer in use" in page.content.decode()


def test_a_client_before_stage_2_gets_a_kind_page(cast, client):
    browser = sign_in(client, cast.foreign_client)

    page = browser.get(PLAN)

    assert page.status_code == 200 and "This starts in stage 2" in page.content.decode()
    assert browser.post(PLAN, {"name": "x", "kind": "tv"}).status_code == 403


def test_the_device_pages_light_journey(cast, client):
    browser = sign_in(client, cast.client)

    page = browser.get(PLAN).content.decode()

    assert 'href="/journey/" aria-current="page"' in page


# --- Today and the record -----------------------------------------------------------------------


def test_today_suggests_the_device_plan_until_it_is_complete(cast, client):
    browser = sign_in(client, cast.client)
    assert "Your device plan" in browser.get("/today/").content.decode()

    phone = add(cast)
    assert "0 of 1 devices fully set up." in browser.get("/today/").content.decode()

    settle_all(cast, phone)
    assert "Your device plan" not in browser.get("/today/").content.decode()


def test_the_clinician_sees_each_devices_completion_with_dates_and_it_is_audited(cast, client):
    phone = add(cast)
    mark(cast, phone, Step.FILTER)
    mark(cast, phone, Step.DUMB_PHONE, state="not_needed")
    browser = sign_in(client, cast.clinician)

    page = browser.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()

    assert "Device plan" in page
    assert "2 of 7 steps settled (1 done)" in page
    assert "not needed" in page and "done " in page
    assert AuditEvent.objects.filter(
        client=cast.client, actor=cast.clinician, what="urges and devices", action="view"
    ).exists()


def test_the_export_holds_every_device_and_step(cast):
    phone = add(cast)
    mark(cast, phone, Step.FILTER)

    (row,) = device_selectors.export_devices(cast.client)["devices"]

    assert row["name"] == "My phone" and row["kind"] == "Phone"
    assert row["steps"][0] == {
        "step": "Filter installed",
        "done_on": today_of(cast),
        "not_needed": False,
    }
